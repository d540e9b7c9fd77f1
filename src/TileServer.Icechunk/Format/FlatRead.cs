namespace TileServer.Icechunk.Format;

/// <summary>Helpers shared by the file parsers: the error boundary, required fields, ids and times.</summary>
internal static class FlatRead
{
    /// <summary>Runs a parse of a stored payload, turning any breach of the wire format into an <see cref="IcechunkFormatException"/> naming the file.</summary>
    public static T Guard<T>(string location, string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is FlatBufferException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw new IcechunkFormatException(location, key, $"malformed FlatBuffers payload: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The root table of a file named by its id, after checking that the id it holds (field <paramref name="what"/>)
    /// is <paramref name="expectedId"/>; otherwise "<paramref name="holds"/> {id}".
    /// </summary>
    public static FlatTable Root(IcechunkPayload payload, int idSlot, string what, string expectedId, string holds)
    {
        var root = FlatTable.Root(payload.Bytes);
        string id = Id12(root, idSlot, what);
        return id == expectedId ? root : throw new FlatBufferException($"{holds} {id}");
    }

    public static FlatTable Table(FlatTable parent, int slot, string what) =>
        parent.Table(slot) ?? throw new FlatBufferException($"required field {what} is missing");

    public static FlatVector Vector(FlatTable parent, int slot, int elementSize, string what) =>
        parent.Vector(slot, elementSize) ?? throw new FlatBufferException($"required field {what} is missing");

    public static string String(FlatTable parent, int slot, string what) =>
        parent.String(slot) ?? throw new FlatBufferException($"required field {what} is missing");

    /// <summary>A 12-byte object id (snapshot, manifest, chunk) in its file-name spelling.</summary>
    public static string Id12(ReadOnlySpan<byte> bytes, string what) =>
        bytes.Length == 12 ? Crockford.Encode(bytes) : throw new FlatBufferException($"required field {what} is missing");

    public static string Id12(FlatTable table, int slot, string what) => Id12(table.Struct(slot, 12), what);

    /// <summary>An 8-byte node id as a number (only compared, never shown).</summary>
    public static ulong NodeId(ReadOnlySpan<byte> bytes, string what) =>
        bytes.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) : throw new FlatBufferException($"required field {what} is missing");

    /// <summary>Microseconds since the Unix epoch, as Icechunk stores commit times.</summary>
    public static DateTimeOffset Time(ulong micros) =>
        micros > 253_402_300_799_000_000UL
            ? throw new FlatBufferException($"timestamp {micros} µs is out of range")
            : DateTimeOffset.UnixEpoch.AddTicks((long)micros * 10);
}
