package io.vrouter.core.request;

/**
 * The return codes the forwarder answers with: 0 or a negative Linux errno, as Contrail's
 * {@code vr_response.resp_code}.
 */
public final class Errno
{
    /** Success. */
    public static final int OK = 0;
    /** No such object. */
    public static final int ENOENT = -2;
    /** Not yet: try again later. */
    public static final int EAGAIN = -11;
    /** Out of memory. */
    public static final int ENOMEM = -12;
    /** Object busy (still referenced). */
    public static final int EBUSY = -16;
    /** Already exists. */
    public static final int EEXIST = -17;
    /** No such device (interface). */
    public static final int ENODEV = -19;
    /** Invalid argument. */
    public static final int EINVAL = -22;
    /** Table full. */
    public static final int ENOSPC = -28;
    /** Value out of range. */
    public static final int ERANGE = -34;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = -95;

    private Errno()
    {
    }

    /**
     * The symbolic name of a return code, for messages.
     *
     * @param code 0 or -errno.
     * @return e.g. {@code "EINVAL"}.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case OK:
                return "OK";
            case ENOENT:
                return "ENOENT";
            case ENOMEM:
                return "ENOMEM";
            case EBUSY:
                return "EBUSY";
            case EEXIST:
                return "EEXIST";
            case ENODEV:
                return "ENODEV";
            case EINVAL:
                return "EINVAL";
            case ENOSPC:
                return "ENOSPC";
            case ERANGE:
                return "ERANGE";
            case EAGAIN:
                return "EAGAIN";
            case EOPNOTSUPP:
                return "EOPNOTSUPP";
            default:
                return "errno " + code;
        }
    }

    /**
     * The C library's text for a return code ({@code strerror(-code)}), as Contrail's tools print it
     * after {@code vRouter(Response): }.
     *
     * @param code 0 or -errno.
     * @return e.g. {@code "No such file or directory"}.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK:
                return "Success";
            case ENOENT:
                return "No such file or directory";
            case ENOMEM:
                return "Cannot allocate memory";
            case EBUSY:
                return "Device or resource busy";
            case EEXIST:
                return "File exists";
            case ENODEV:
                return "No such device";
            case EINVAL:
                return "Invalid argument";
            case ENOSPC:
                return "No space left on device";
            case ERANGE:
                return "Numerical result out of range";
            case EAGAIN:
                return "Resource temporarily unavailable";
            case EOPNOTSUPP:
                return "Operation not supported";
            default:
                return "Unknown error " + -code;
        }
    }
}
