using System.Text.Json.Nodes;
using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>Builds a <see cref="CodecChain"/> from v2 (<c>order</c>, <c>filters</c>, <c>compressor</c>) or v3 (<c>codecs</c>) metadata.</summary>
internal static class ChainBuilder
{
    public static CodecChain BuildV3(JsonNode? codecs, ChunkRepresentation decoded, string path, CodecRegistry registry)
    {
        if (codecs is not JsonArray list || list.Count == 0)
        {
            throw new ZarrFormatException(path, "'codecs' must be a non-empty array");
        }

        var a2a = new List<IArrayToArrayCodec>();
        var b2b = new List<IBytesToBytesCodec>();
        IArrayToBytesCodec? a2b = null;
        var current = decoded;
        foreach (var entry in list)
        {
            var (name, config, mustUnderstand) = ReadExtension(entry, path);
            ICodec codec;
            try
            {
                codec = registry.Create(name, config, new CodecBuildContext(path, 3, current.DataType, current, registry));
            }
            catch (ZarrFormatException) when (!mustUnderstand)
            {
                continue;
            }
            catch (CodecException ex)
            {
                throw new ZarrFormatException(path, ex.Message, ex);
            }

            if (a2b is null && codec is IArrayToArrayCodec arrayCodec)
            {
                a2a.Add(arrayCodec);
                current = arrayCodec.EncodedRepresentation(current);
            }
            else if (a2b is null && codec is IArrayToBytesCodec bytesCodec)
            {
                a2b = bytesCodec;
            }
            else if (a2b is not null && codec is IBytesToBytesCodec b)
            {
                b2b.Add(b);
            }
            else
            {
                throw new ZarrFormatException(path, $"codec '{name}' is out of place (array→array, then one array→bytes, then bytes→bytes)");
            }
        }

        return new CodecChain(a2a, a2b ?? throw new ZarrFormatException(path, "codecs have no array→bytes codec (e.g. 'bytes')"), b2b, decoded);
    }

    public static CodecChain BuildV2(JsonObject zarray, ChunkRepresentation decoded, DataTypeInfo stored, bool fortranOrder, string path, CodecRegistry registry)
    {
        var a2a = new List<IArrayToArrayCodec>();
        if (fortranOrder && decoded.Shape.Length > 1)
        {
            a2a.Add(new TransposeCodec(Enumerable.Range(0, decoded.Shape.Length).Reverse().ToArray()));
        }

        var ctx = new CodecBuildContext(path, 2, stored, decoded, registry);
        var b2b = new List<IBytesToBytesCodec>();
        if (zarray["filters"] is JsonArray filters)
        {
            foreach (var f in filters)
            {
                b2b.Add(CreateV2(f, ctx));
            }
        }

        if (zarray["compressor"] is JsonObject compressor)
        {
            b2b.Add(CreateV2(compressor, ctx));
        }

        return new CodecChain(a2a, new BytesCodec(stored.BigEndian), b2b, decoded);
    }

    private static IBytesToBytesCodec CreateV2(JsonNode? node, CodecBuildContext ctx)
    {
        if (node is not JsonObject obj || JsonHelpers.GetString(obj, "id") is not { } id)
        {
            throw new ZarrFormatException(ctx.Path, "a filter or compressor has no 'id'");
        }

        return ctx.Registry.Create(id, obj, ctx) as IBytesToBytesCodec
            ?? throw new ZarrFormatException(ctx.Path, $"codec '{id}' cannot be used as a v2 filter or compressor");
    }

    /// <summary>Reads a v3 extension point: a bare name or <c>{name, configuration, must_understand}</c>.</summary>
    public static (string Name, JsonObject Configuration, bool MustUnderstand) ReadExtension(JsonNode? entry, string path)
    {
        switch (entry)
        {
            case JsonValue v when v.TryGetValue(out string? s) && s is not null:
                return (s, new JsonObject(), true);
            case JsonObject o when JsonHelpers.GetString(o, "name") is { } name:
                bool must = o["must_understand"] is not JsonValue mv || !mv.TryGetValue(out bool b) || b;
                return (name, o["configuration"] as JsonObject ?? new JsonObject(), must);
            default:
                throw new ZarrFormatException(path, $"codec entry {entry?.ToJsonString()} has no name");
        }
    }
}
