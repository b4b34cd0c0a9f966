package io.vrouter.core.request;

import java.util.List;

/**
 * A typed programming object: one record per sandesh struct the forwarder and the node answer
 * ({@code vr_interface_req}, {@code vr_nexthop_req}, {@code vr_route_req}, ...). Requests and the
 * objects GET and DUMP answer with are the same records, as in Contrail, where the answer to a
 * {@code vr_*_req} is the same struct.
 * <p>
 * Each record holds typed fields with Contrail's defaults and is the one place its struct's field
 * names are spelled: {@code from(SandeshObject)} reads it (refusing a field of the wrong kind or
 * width), {@link #toSandesh()} writes it, and {@link #validate()} checks every rule that does not
 * need the tables (ranges, MAC and prefix lengths, known families and types, label ranges, fields a
 * given op requires). A record parsed with {@link #parse} has been validated; the programming path
 * validates every record again before it reads the tables, so a record built in code gets the same
 * refusals. Refusals carry Contrail's errno and a message naming the field.
 * <p>
 * {@link SandeshObject} is the untyped form at the edges only: the control socket's codec, the vtest
 * XML reader, JSON.
 */
public sealed interface SandeshRecord permits InterfaceRequest, NextHopRequest, RouteRequest, MplsRequest,
    VxlanRequest, MirrorRequest, FlowRequest, FlowTableData, DropStatsRequest, VrfStatsRequest, PortRequest,
    TraceRequest, CaptureRequest, PodRequest
{
    /**
     * The value of an integer field that was not given, where absence means something of its own
     * (a required key, "same as another field", "compute it"). Never a valid value of such a field;
     * {@link #toSandesh()} leaves such a field out.
     */
    int UNSET = Integer.MIN_VALUE;

    /** The struct names records map, one per record type. */
    List<String> TYPES = List.of(InterfaceRequest.TYPE, NextHopRequest.TYPE, RouteRequest.TYPE,
        MplsRequest.TYPE, VxlanRequest.TYPE, MirrorRequest.TYPE, FlowRequest.TYPE, FlowTableData.TYPE,
        DropStatsRequest.TYPE, VrfStatsRequest.TYPE, PortRequest.TYPE, TraceRequest.TYPE, CaptureRequest.TYPE,
        PodRequest.TYPE);

    /**
     * The sandesh struct name.
     *
     * @return e.g. {@code vr_route_req}.
     */
    String struct();

    /**
     * What the request asks for ({@code h_op}).
     *
     * @return the op; an answer (which carries none) reads as ADD, the default.
     */
    Op op();

    /**
     * Checks every rule that does not need the tables.
     *
     * @throws RequestException with Contrail's errno and a message naming the field.
     */
    void validate() throws RequestException;

    /**
     * The record as a {@link SandeshObject}: every field it carries, by its sandesh name. A field that
     * holds its "absent" value is left out, so that {@link #parse} of the result gives this record back.
     *
     * @return a new object.
     */
    SandeshObject toSandesh();

    /**
     * Reads and validates an object by its struct name.
     *
     * @param o the object.
     * @return the record.
     * @throws RequestException EOPNOTSUPP for a struct no record maps; otherwise, with the errno and a
     *                          message naming the field, for a field of the wrong kind or a rule broken.
     */
    static SandeshRecord parse(final SandeshObject o) throws RequestException
    {
        final SandeshRecord r = switch (o.type())
        {
            case InterfaceRequest.TYPE -> InterfaceRequest.from(o);
            case NextHopRequest.TYPE -> NextHopRequest.from(o);
            case RouteRequest.TYPE -> RouteRequest.from(o);
            case MplsRequest.TYPE -> MplsRequest.from(o);
            case VxlanRequest.TYPE -> VxlanRequest.from(o);
            case MirrorRequest.TYPE -> MirrorRequest.from(o);
            case FlowRequest.TYPE -> FlowRequest.from(o);
            case FlowTableData.TYPE -> FlowTableData.from(o);
            case DropStatsRequest.TYPE -> DropStatsRequest.from(o);
            case VrfStatsRequest.TYPE -> VrfStatsRequest.from(o);
            case PortRequest.TYPE -> PortRequest.from(o);
            case TraceRequest.TYPE -> TraceRequest.from(o);
            case CaptureRequest.TYPE -> CaptureRequest.from(o);
            case PodRequest.TYPE -> PodRequest.from(o);
            default -> throw new RequestException(Errno.EOPNOTSUPP, "unsupported object " + o.type());
        };
        r.validate();
        return r;
    }

    /**
     * The fields a struct's record maps, for the text readers.
     *
     * @param type a struct name.
     * @return its fields, or an empty array for a struct no record maps.
     */
    static SandeshField[] fields(final String type)
    {
        return switch (type)
        {
            case InterfaceRequest.TYPE -> InterfaceRequest.Field.values();
            case NextHopRequest.TYPE -> NextHopRequest.Field.values();
            case RouteRequest.TYPE -> RouteRequest.Field.values();
            case MplsRequest.TYPE -> MplsRequest.Field.values();
            case VxlanRequest.TYPE -> VxlanRequest.Field.values();
            case MirrorRequest.TYPE -> MirrorRequest.Field.values();
            case FlowRequest.TYPE -> FlowRequest.Field.values();
            case FlowTableData.TYPE -> FlowTableData.Field.values();
            case DropStatsRequest.TYPE -> DropStatsRequest.Field.values();
            case VrfStatsRequest.TYPE -> VrfStatsRequest.Field.values();
            case PortRequest.TYPE -> PortRequest.Field.values();
            case TraceRequest.TYPE -> TraceRequest.Field.values();
            case CaptureRequest.TYPE -> CaptureRequest.Field.values();
            case PodRequest.TYPE -> PodRequest.Field.values();
            default -> new SandeshField[0];
        };
    }
}
