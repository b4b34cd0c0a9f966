package io.vrouter.tools.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's answers that need no vrouterd: VERSION, and every refusal as CNI error JSON with the
 * specification's code (a runtime reads the code; podman shows the message).
 */
class CniMainTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"vrouter-cni\",\"socket\":\"/nonexistent/vr.sock\"}";

    private record Outcome(int status, JsonNode json, String text)
    {
    }

    private static Outcome run(final Map<String, String> env, final String stdin) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status = CniMain.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        return new Outcome(status, text.isBlank() ? null : JSON.readTree(text), text);
    }

    private static Map<String, String> add()
    {
        final Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", "c0ffee");
        env.put("CNI_NETNS", "/run/netns/x");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p1");
        return env;
    }

    private static void error(final Outcome o, final int code, final String message)
    {
        assertEquals(1, o.status(), o.text());
        assertEquals(code, o.json().path("code").asInt(), o.text());
        assertTrue(o.json().path("msg").asText().contains(message), o.text());
        assertTrue(o.json().path("cniVersion").isTextual(), o.text());
    }

    @Test
    void versionNamesTheSupportedVersionsWhateverTheInput() throws IOException
    {
        final Outcome o = run(Map.of("CNI_COMMAND", "VERSION"), "");
        assertEquals(0, o.status());
        assertEquals("1.0.0", o.json().path("cniVersion").asText());
        assertEquals("[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]", o.json().path("supportedVersions").toString());
    }

    @Test
    void refusalsAreErrorJsonWithTheSpecificationsCodes() throws IOException
    {
        error(run(Map.of(), CONFIG), 4, "CNI_COMMAND is not set");
        error(run(Map.of("CNI_COMMAND", "UP"), CONFIG), 4, "not ADD, DEL, CHECK or VERSION");
        error(run(add(), "{not json"), 6, "not JSON");
        error(run(add(), "[1]"), 6, "not a JSON object");
        error(run(add(), "{\"name\":\"n\"}"), 7, "no cniVersion");
        error(run(add(), CONFIG.replace("1.0.0", "1.1.0")), 1, "cniVersion 1.1.0 is not supported");
        error(run(add(), CONFIG.replace("\"socket\":\"/nonexistent/vr.sock\"", "\"socket\":7")), 7,
            "socket must be a string");
        final Map<String, String> noPod = add();
        noPod.put("CNI_ARGS", "IgnoreUnknown=1");
        error(run(noPod, CONFIG), 4, "K8S_POD_NAME");
        final Map<String, String> noNetns = add();
        noNetns.remove("CNI_NETNS");
        error(run(noNetns, CONFIG), 4, "CNI_NETNS is not set");
        final Map<String, String> relative = add();
        relative.put("CNI_NETNS", "netns-1");
        error(run(relative, CONFIG), 4, "not an absolute path");
        final Map<String, String> check = add();
        check.put("CNI_COMMAND", "CHECK");
        error(run(check, CONFIG.replace("1.0.0", "0.3.1")), 1, "CHECK needs cniVersion 0.4.0");
    }

    @Test
    void withoutVrouterdAddAndDelAskToTryAgainLater() throws IOException
    {
        error(run(add(), CONFIG), 11, "vrouterd is not reachable at /nonexistent/vr.sock");
        final Map<String, String> del = add();
        del.put("CNI_COMMAND", "DEL");
        del.remove("CNI_NETNS");
        error(run(del, CONFIG), 11, "vrouterd is not reachable");
    }
}
