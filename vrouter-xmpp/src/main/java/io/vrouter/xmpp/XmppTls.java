package io.vrouter.xmpp;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.io.File;

/**
 * TLS for the controller channel, from PEM files: a certificate chain and its PKCS#8 key for this
 * side, and a CA bundle to verify the peer. With a CA on the controller, node certificates are
 * required (mutual TLS). A node also checks that the controller's certificate names the address
 * or host it dialled (subjectAltName), netty's default.
 */
public final class XmppTls
{
    private XmppTls()
    {
    }

    /**
     * The controller's context.
     *
     * @param cert certificate chain.
     * @param key  private key.
     * @param ca   CA bundle for node certificates, or null to accept nodes without one.
     * @return the context.
     * @throws SSLException when a file cannot be used.
     */
    public static SslContext server(final File cert, final File key, final File ca) throws SSLException
    {
        final SslContextBuilder b = SslContextBuilder.forServer(cert, key).protocols("TLSv1.3", "TLSv1.2");
        if (ca != null)
        {
            b.trustManager(ca).clientAuth(ClientAuth.REQUIRE);
        }
        return b.build();
    }

    /**
     * A node's context.
     *
     * @param cert certificate chain, or null when the controller does not ask for one.
     * @param key  private key, or null.
     * @param ca   CA bundle to verify the controller.
     * @return the context.
     * @throws SSLException when a file cannot be used.
     */
    public static SslContext client(final File cert, final File key, final File ca) throws SSLException
    {
        final SslContextBuilder b = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2").trustManager(ca);
        if (cert != null)
        {
            b.keyManager(cert, key);
        }
        return b.build();
    }
}
