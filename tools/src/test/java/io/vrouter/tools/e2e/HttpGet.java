package io.vrouter.tools.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Prints the body of one HTTP GET ({@code HttpGet URL}); exits non-zero unless the status is 200.
 * The end-to-end test runs it inside a node namespace to read that node's introspect.
 */
public final class HttpGet
{
    private HttpGet()
    {
    }

    /**
     * Entry point.
     *
     * @param args the URL.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[0]))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.body());
        System.exit(r.statusCode() == 200 ? 0 : 1);
    }
}
