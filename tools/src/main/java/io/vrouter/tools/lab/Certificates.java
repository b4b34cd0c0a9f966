package io.vrouter.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates for the controller channel's mutual TLS, made with {@code openssl} at
 * setup: a CA ({@code ca.pem}), and for each name a certificate ({@code NAME.pem}, CN and DNS
 * subjectAltName = the name, plus IP subjectAltNames) and its PKCS#8 key ({@code NAME.pk8}, mode
 * 0600), all signed by the CA and valid for two days. Nodes get their node name, so the controller
 * can check a stream's {@code from} against the certificate; the controller gets the addresses
 * nodes dial.
 */
public final class Certificates
{
    private final Path dir;

    private Certificates(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Makes the CA in a directory (created if needed).
     *
     * @param dir where the files go.
     * @return the CA, ready to issue.
     * @throws IOException when openssl is missing or fails.
     */
    public static Certificates authority(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Certificates c = new Certificates(dir);
        c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=vrouter-lab-ca",
            "-days", "2", "-out", "ca.pem");
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));
        return c;
    }

    /**
     * Issues a certificate.
     *
     * @param name the CN and DNS subjectAltName (a node's name, or the controller's).
     * @param ips  IP subjectAltNames (the addresses a peer dials), may be empty.
     * @throws IOException when openssl fails.
     */
    public void issue(final String name, final String... ips) throws IOException
    {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}"))
        {
            throw new IllegalArgumentException("'" + name + "' is not a host name");
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-subj", "/CN=" + name,
            "-out", name + ".csr");
        final List<String> san = new ArrayList<>();
        san.add("DNS:" + name);
        for (final String ip : ips)
        {
            san.add("IP:" + ip);
        }
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + String.join(",", san) + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-out", name + ".pk8");
        Files.setPosixFilePermissions(key(name), PosixFilePermissions.fromString("rw-------"));
        Files.delete(dir.resolve(name + ".key"));
        Files.delete(dir.resolve(name + ".csr"));
        Files.delete(dir.resolve(name + ".ext"));
    }

    /**
     * The CA bundle.
     *
     * @return {@code ca.pem}.
     */
    public Path ca()
    {
        return dir.resolve("ca.pem");
    }

    /**
     * A certificate issued here.
     *
     * @param name its name.
     * @return {@code NAME.pem}.
     */
    public Path cert(final String name)
    {
        return dir.resolve(name + ".pem");
    }

    /**
     * A key issued here.
     *
     * @param name its name.
     * @return {@code NAME.pk8}.
     */
    public Path key(final String name)
    {
        return dir.resolve(name + ".pk8");
    }

    private void openssl(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        final Process p;
        try
        {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            throw new IOException("cannot run openssl (needed for the channel's certificates): " + e.getMessage(), e);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new IOException("openssl " + String.join(" ", args) + " timed out");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
        if (p.exitValue() != 0)
        {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
