package io.vrouter.tools.controller;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Kubernetes-style object from a manifest: kind, name, namespace, annotations and spec.
 *
 * @param kind        {@code Namespace}, {@code Pod}, ...
 * @param name        metadata.name.
 * @param namespace   metadata.namespace, or null when not given.
 * @param annotations metadata.annotations (string values).
 * @param spec        the spec (plain maps and lists), empty when absent.
 * @param labels      metadata.labels (string values), empty when absent.
 */
public record Resource(String kind, String name, String namespace, Map<String, String> annotations,
    Map<String, Object> spec, Map<String, String> labels)
{
    /**
     * An object without labels.
     *
     * @param kind        kind.
     * @param name        metadata.name.
     * @param namespace   metadata.namespace or null.
     * @param annotations metadata.annotations.
     * @param spec        the spec.
     */
    public Resource(final String kind, final String name, final String namespace,
        final Map<String, String> annotations, final Map<String, Object> spec)
    {
        this(kind, name, namespace, annotations, spec, Map.of());
    }

    /** Largest manifest accepted, characters. */
    public static final int MAX_MANIFEST = 1 << 20;

    /**
     * Parses every document of a YAML manifest (safe loading: plain maps, lists and scalars only).
     *
     * @param yaml   the text.
     * @param source where it came from, for messages.
     * @return the objects in order.
     * @throws IllegalArgumentException when a document is not a Kubernetes-style object.
     */
    public static List<Resource> parseAll(final String yaml, final String source)
    {
        if (yaml.length() > MAX_MANIFEST)
        {
            throw new IllegalArgumentException(source + ": manifest larger than " + MAX_MANIFEST + " characters");
        }
        final LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        final Yaml parser = new Yaml(new SafeConstructor(options));
        final List<Resource> out = new ArrayList<>();
        int index = 0;
        try
        {
            for (final Object doc : parser.loadAll(yaml))
            {
                index++;
                if (doc == null)
                {
                    continue;
                }
                out.add(fromMap(doc, source + " document " + index));
            }
        }
        catch (final org.yaml.snakeyaml.error.YAMLException e)
        {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage().lines().findFirst()
                .orElse(""));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Resource fromMap(final Object doc, final String where)
    {
        if (!(doc instanceof Map<?, ?> map))
        {
            throw new IllegalArgumentException(where + ": not a mapping");
        }
        final Object kind = map.get("kind");
        if (!(kind instanceof String k) || k.isBlank())
        {
            throw new IllegalArgumentException(where + ": no kind");
        }
        if (!(map.get("metadata") instanceof Map<?, ?> metadata) || !(metadata.get("name") instanceof String name) ||
            !name.matches("[a-zA-Z0-9]([-a-zA-Z0-9.]{0,61}[a-zA-Z0-9])?"))
        {
            throw new IllegalArgumentException(where + ": " + k + " without a valid metadata.name");
        }
        final Object ns = metadata.get("namespace");
        if (ns != null && !(ns instanceof String s && s.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")))
        {
            throw new IllegalArgumentException(where + ": invalid metadata.namespace");
        }
        final Map<String, String> annotations = new LinkedHashMap<>();
        if (metadata.get("annotations") instanceof Map<?, ?> a)
        {
            for (final Map.Entry<?, ?> e : a.entrySet())
            {
                annotations.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        else if (metadata.get("annotations") != null)
        {
            throw new IllegalArgumentException(where + ": metadata.annotations is not a mapping");
        }
        final Map<String, String> labels = stringMap(metadata.get("labels"), where + ": metadata.labels");
        final Object spec = map.get("spec");
        if (spec != null && !(spec instanceof Map))
        {
            throw new IllegalArgumentException(where + ": spec is not a mapping");
        }
        return new Resource(k, name, (String)ns, Map.copyOf(annotations),
            spec == null ? Map.of() : (Map<String, Object>)spec, labels);
    }

    /**
     * A mapping of label keys to values (Kubernetes labels and selectors): keys and values as Kubernetes
     * allows them (a value may be empty).
     *
     * @param value the mapping, or null for none.
     * @param what  what it is, for messages.
     * @return the labels, in order.
     * @throws IllegalArgumentException when it is not such a mapping.
     */
    public static Map<String, String> stringMap(final Object value, final String what)
    {
        if (value == null)
        {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m))
        {
            throw new IllegalArgumentException(what + " is not a mapping");
        }
        final Map<String, String> out = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> e : m.entrySet())
        {
            final String key = String.valueOf(e.getKey());
            final String v = e.getValue() == null ? "" : String.valueOf(e.getValue());
            if (!key.matches("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
                || !v.matches("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?"))
            {
                throw new IllegalArgumentException(what + ": not a valid label " + key + "=" + v);
            }
            out.put(key, v);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A label for messages: {@code kind/name}.
     *
     * @return the label.
     */
    public String ref()
    {
        return kind.toLowerCase() + "/" + name;
    }
}
