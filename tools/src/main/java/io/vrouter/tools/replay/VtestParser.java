package io.vrouter.tools.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import io.vrouter.core.request.FieldKind;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.SandeshObject;

/**
 * Reads Contrail's XML vtest cases as they are: {@code <test>} with {@code <test_name>}, then
 * {@code <message>} elements (a {@code vr_*_req} element whose children are sandesh fields,
 * {@code <return>}, optional {@code <expect>}) and {@code <packet>} elements. Pcap paths are
 * relative to the case file. DTDs and external entities are refused.
 * <p>
 * A message's object is read from XML into a {@link SandeshObject} (each field's text by its kind,
 * {@link FieldKind}), then into its typed record ({@link Parsed}): a request the records refuse is
 * kept with its refusal, since a case may expect exactly that return code. Text that is not a value
 * of its field's kind makes the case unreadable.
 */
public final class VtestParser
{
    private VtestParser()
    {
    }

    /**
     * Parses a case file.
     *
     * @param file the XML file.
     * @return the case.
     * @throws IOException if unreadable or malformed, with the file and element named.
     */
    public static VtestCase parse(final Path file) throws IOException
    {
        final Document doc;
        try (InputStream in = Files.newInputStream(file))
        {
            doc = builder().parse(in);
        }
        catch (final SAXException | ParserConfigurationException e)
        {
            throw new IOException(file + ": malformed XML: " + e.getMessage(), e);
        }
        final Element root = doc.getDocumentElement();
        if (!"test".equals(root.getTagName()))
        {
            throw new IOException(file + ": root element is <" + root.getTagName() + ">, expected <test>");
        }
        String name = file.getFileName().toString();
        final List<VtestCase.Step> steps = new ArrayList<>();
        for (final Element e : children(root))
        {
            switch (e.getTagName())
            {
                case "test_name":
                    name = e.getTextContent().trim();
                    break;
                case "message":
                    steps.add(message(file, e));
                    break;
                case "packet":
                    steps.add(packet(file, e));
                    break;
                default:
                    throw new IOException(file + ": unknown element <" + e.getTagName() + "> in <test>");
            }
        }
        return new VtestCase(file, name, List.copyOf(steps));
    }

    private static DocumentBuilder builder() throws ParserConfigurationException
    {
        final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setIgnoringComments(true);
        return f.newDocumentBuilder();
    }

    private static VtestCase.Message message(final Path file, final Element e) throws IOException
    {
        Parsed request = null;
        Long expectedReturn = null;
        SandeshObject expect = null;
        for (final Element c : children(e))
        {
            final String tag = c.getTagName();
            if ("return".equals(tag))
            {
                try
                {
                    expectedReturn = Long.parseLong(c.getTextContent().trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new IOException(file + ": <return> is not a number: " + c.getTextContent().trim(), ex);
                }
            }
            else if ("expect".equals(tag))
            {
                final List<Element> objs = children(c);
                if (objs.size() != 1)
                {
                    throw new IOException(file + ": <expect> must hold exactly one object");
                }
                expect = object(file, objs.get(0), true);
            }
            else if (tag.startsWith("vr") || tag.startsWith("vrouter"))
            {
                request = Parsed.of(object(file, c, false));
            }
            else
            {
                throw new IOException(file + ": unknown element <" + tag + "> in <message>");
            }
        }
        if (request == null)
        {
            throw new IOException(file + ": <message> without a request object");
        }
        return new VtestCase.Message(request, expectedReturn, expect);
    }

    private static SandeshObject object(final Path file, final Element e, final boolean isExpect)
        throws IOException
    {
        String type = e.getTagName();
        if (isExpect && type.endsWith("_expect"))
        {
            type = type.substring(0, type.length() - "_expect".length());
        }
        final SandeshObject obj = new SandeshObject(type);
        for (final Element f : children(e))
        {
            try
            {
                obj.put(f.getTagName(), FieldKind.parse(type, f.getTagName(), f.getTextContent()));
            }
            catch (final RequestException ex)
            {
                throw new IOException(file + ": <" + type + "> " + ex.getMessage(), ex);
            }
        }
        return obj;
    }

    private static VtestCase.PacketStep packet(final Path file, final Element e) throws IOException
    {
        String input = null;
        String expected = null;
        int tx = -1;
        int rx = -1;
        for (final Element c : children(e))
        {
            switch (c.getTagName())
            {
                case "pcap_input_file":
                    input = c.getTextContent().trim();
                    break;
                case "pcap_expected_file":
                    expected = c.getTextContent().trim();
                    break;
                case "tx_interface":
                    tx = vifIndex(file, c);
                    break;
                case "rx_interface":
                    rx = vifIndex(file, c);
                    break;
                default:
                    throw new IOException(file + ": unknown element <" + c.getTagName() + "> in <packet>");
            }
        }
        if (input == null || expected == null || tx < 0 || rx < 0)
        {
            throw new IOException(file + ": <packet> needs pcap_input_file, pcap_expected_file, tx_interface "
                + "and rx_interface");
        }
        final Path dir = file.toAbsolutePath().getParent();
        return new VtestCase.PacketStep(dir.resolve(input).normalize(), dir.resolve(expected).normalize(), tx, rx);
    }

    private static int vifIndex(final Path file, final Element e) throws IOException
    {
        for (final Element c : children(e))
        {
            if ("vif_index".equals(c.getTagName()))
            {
                try
                {
                    return Integer.parseInt(c.getTextContent().trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new IOException(file + ": bad vif_index " + c.getTextContent().trim(), ex);
                }
            }
        }
        throw new IOException(file + ": <" + e.getTagName() + "> without <vif_index>");
    }

    private static List<Element> children(final Element e)
    {
        final List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
        {
            if (n.getNodeType() == Node.ELEMENT_NODE)
            {
                out.add((Element)n);
            }
        }
        return out;
    }
}
