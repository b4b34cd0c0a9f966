package io.vrouter.agent.controller;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What several controller sessions advertise, merged per key, as Contrail's agent keeps one path per
 * peer under one route: a key is held while at least one session advertises it, and its value (what the
 * node programs) is the one most recently advertised by a session still holding it. Used for the routes
 * of a VRF (prefix → route item) and for configuration items (type and name → element).
 * <p>
 * A key stays until every session that advertised it has withdrawn it. Losing a session drops its claims:
 * a key another session still holds is kept, not stale, with that session's value if the lost one's was
 * the current value; a key nobody holds any more is kept <em>stale</em> (the node forwards on it headless)
 * until {@link #sweep()} removes it at an end-of-RIB or a session advertises it again. The caller programs
 * what the answers say; the merge holds no forwarding state. Used on the agent's single event thread only.
 *
 * @param <K> the key.
 * @param <V> the value; compared with {@code equals} to tell a change from a repeat.
 */
final class PeerMerge<K, V>
{
    /**
     * What the node must do for a key after a withdrawal or a lost session.
     *
     * @param key   the key.
     * @param value the value to program now, or null when the key is gone (delete it).
     */
    record Change<K, V>(K key, V value)
    {
    }

    private static final class Held<V>
    {
        final Object[] from;
        V current;
        /** The sessions that held the key when it went stale (bit per session), for views. */
        int lastHolders;
        boolean stale;

        Held(final int peers)
        {
            from = new Object[peers];
        }

        boolean held()
        {
            for (final Object o : from)
            {
                if (o != null)
                {
                    return true;
                }
            }
            return false;
        }

        boolean advertises(final V value)
        {
            for (final Object o : from)
            {
                if (value.equals(o))
                {
                    return true;
                }
            }
            return false;
        }

        @SuppressWarnings("unchecked")
        V first()
        {
            for (final Object o : from)
            {
                if (o != null)
                {
                    return (V)o;
                }
            }
            return null;
        }
    }

    private final int peers;
    private final Map<K, Held<V>> keys = new HashMap<>();

    /**
     * A merge of up to {@code peers} sessions, numbered from 0.
     *
     * @param peers how many sessions.
     */
    PeerMerge(final int peers)
    {
        this.peers = peers;
    }

    /**
     * A session advertises (or re-advertises) a key: it becomes the key's current value, and a stale key is
     * fresh again.
     *
     * @param peer  the session.
     * @param key   the key.
     * @param value its value.
     * @return whether the current value changed (false: the same value was already current).
     */
    boolean advertise(final int peer, final K key, final V value)
    {
        final Held<V> h = keys.computeIfAbsent(key, k -> new Held<>(peers));
        h.from[peer] = value;
        h.stale = false;
        h.lastHolders = 0;
        final boolean changed = !value.equals(h.current);
        h.current = value;
        return changed;
    }

    /**
     * A session withdraws a key. It goes when no session holds it any more (a stale key too: the session
     * says it no longer exists); else it stays, with another holder's value if this session's was current.
     *
     * @param peer the session.
     * @param key  the key.
     * @return null when nothing changes (unknown key, or the current value is still advertised); else the
     *         change: the value to program, or a null value when the key is gone.
     */
    Change<K, V> withdraw(final int peer, final K key)
    {
        final Held<V> h = keys.get(key);
        if (h == null)
        {
            return null;
        }
        h.from[peer] = null;
        return settle(key, h);
    }

    /**
     * A session is lost: its claims are dropped. Keys another session holds stay (with that session's value
     * when the lost one's was current); keys nobody holds any more are kept, marked stale.
     *
     * @param peer the session.
     * @return the keys whose value must be programmed again (another holder's value); never a removal.
     */
    List<Change<K, V>> lost(final int peer)
    {
        final List<Change<K, V>> out = new ArrayList<>();
        for (final Map.Entry<K, Held<V>> e : keys.entrySet())
        {
            final Held<V> h = e.getValue();
            if (h.from[peer] == null)
            {
                continue;
            }
            int holders = 0;
            for (int i = 0; i < peers; i++)
            {
                holders |= h.from[i] != null ? 1 << i : 0;
            }
            h.from[peer] = null;
            if (h.held())
            {
                final Change<K, V> c = settle(e.getKey(), h);
                if (c != null)
                {
                    out.add(c);
                }
            }
            else
            {
                h.stale = true;
                h.lastHolders = holders;
            }
        }
        return out;
    }

    private Change<K, V> settle(final K key, final Held<V> h)
    {
        if (!h.held())
        {
            keys.remove(key);
            return new Change<>(key, null);
        }
        if (h.advertises(h.current))
        {
            return null;
        }
        h.current = h.first();
        return new Change<>(key, h.current);
    }

    /**
     * Removes every stale key (end-of-RIB: the session that sent it has advertised everything it has).
     *
     * @return the keys removed, with their last values.
     */
    List<Change<K, V>> sweep()
    {
        final List<Change<K, V>> out = new ArrayList<>();
        keys.entrySet().removeIf(e ->
        {
            if (e.getValue().stale)
            {
                out.add(new Change<>(e.getKey(), e.getValue().current));
                return true;
            }
            return false;
        });
        return out;
    }

    /**
     * Forgets a key whatever holds it (its owner is gone: a VRF deleted with its routes).
     *
     * @param key the key.
     * @return whether it was there.
     */
    boolean forget(final K key)
    {
        return keys.remove(key) != null;
    }

    /**
     * The current value of a key.
     *
     * @param key the key.
     * @return the value, or null when the key is not held.
     */
    V current(final K key)
    {
        final Held<V> h = keys.get(key);
        return h == null ? null : h.current;
    }

    /**
     * Whether a key is kept only because no session withdrew it before going away.
     *
     * @param key the key.
     * @return true when stale.
     */
    boolean stale(final K key)
    {
        final Held<V> h = keys.get(key);
        return h != null && h.stale;
    }

    /**
     * The sessions that advertise a key, in order; for a stale key, those that did when it went stale.
     *
     * @param key the key.
     * @return session numbers, empty for an unknown key.
     */
    List<Integer> holders(final K key)
    {
        final Held<V> h = keys.get(key);
        final List<Integer> out = new ArrayList<>(peers);
        if (h == null)
        {
            return out;
        }
        for (int i = 0; i < peers; i++)
        {
            if (h.stale ? (h.lastHolders & 1 << i) != 0 : h.from[i] != null)
            {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The keys held (stale ones included).
     *
     * @return a view of the keys.
     */
    Set<K> keys()
    {
        return keys.keySet();
    }

    /**
     * The number of keys held (stale ones included).
     *
     * @return the count.
     */
    int size()
    {
        return keys.size();
    }

    /**
     * The number of stale keys.
     *
     * @return the count.
     */
    int staleCount()
    {
        int n = 0;
        for (final Held<V> h : keys.values())
        {
            n += h.stale ? 1 : 0;
        }
        return n;
    }
}
