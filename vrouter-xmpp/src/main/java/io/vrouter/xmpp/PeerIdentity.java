package io.vrouter.xmpp;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who a TLS peer's certificate says it is: the DNS names of its subjectAltName, or, when it has
 * none, its subject's common name (CN). The controller admits a node only when its stream's
 * {@code from} is one of these names, so a certificate issued to one node cannot speak for another.
 */
public final class PeerIdentity
{
    /** subjectAltName entry type of a DNS name (RFC 5280 GeneralName dNSName). */
    private static final int SAN_DNS = 2;

    private PeerIdentity()
    {
    }

    /**
     * The names a certificate vouches for.
     *
     * @param certificate the peer's end-entity certificate.
     * @return its DNS subjectAltNames, else its CN (empty when it has neither).
     */
    public static List<String> names(final X509Certificate certificate)
    {
        final List<String> names = new ArrayList<>();
        try
        {
            final Collection<List<?>> san = certificate.getSubjectAlternativeNames();
            if (san != null)
            {
                for (final List<?> entry : san)
                {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == SAN_DNS &&
                        entry.get(1) instanceof String dns)
                    {
                        names.add(dns);
                    }
                }
            }
        }
        catch (final CertificateParsingException e)
        {
            return List.of();
        }
        if (!names.isEmpty())
        {
            return names;
        }
        try
        {
            for (final Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns())
            {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn)
                {
                    names.add(cn);
                }
            }
        }
        catch (final InvalidNameException e)
        {
            return List.of();
        }
        return names;
    }

    /**
     * Checks a stream's {@code from} against the channel's transport.
     *
     * @param pipeline            the channel's pipeline (its TLS handler, if any, named by type).
     * @param from                the name the peer claims.
     * @param requireCertificate  whether a peer without a verified certificate is refused (plain TCP
     *                            or TLS without client authentication).
     * @return null when the peer may use the name, else the reason it may not.
     */
    public static String refusal(final ChannelPipeline pipeline, final String from, final boolean requireCertificate)
    {
        final SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null)
        {
            return requireCertificate ? "plaintext stream claiming '" + from + "' refused (no TLS; the controller " +
                "runs without --insecure)" : null;
        }
        final Certificate[] chain;
        try
        {
            chain = tls.engine().getSession().getPeerCertificates();
        }
        catch (final SSLPeerUnverifiedException e)
        {
            return requireCertificate ? "stream claiming '" + from + "' without a client certificate refused" : null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf))
        {
            return "stream claiming '" + from + "' with no X.509 certificate refused";
        }
        final List<String> names = names(leaf);
        if (!names.contains(from))
        {
            return "stream claims to be '" + from + "' but its certificate names " + names + " (subject " +
                leaf.getSubjectX500Principal().getName() + "): refused";
        }
        return null;
    }
}
