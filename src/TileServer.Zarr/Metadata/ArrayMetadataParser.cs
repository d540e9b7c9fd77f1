using System.Text.Json.Nodes;
using TileServer.Zarr.Codecs;

namespace TileServer.Zarr.Metadata;

/// <summary>
/// Parses v2 <c>.zarray</c>+<c>.zattrs</c> and v3 array <c>zarr.json</c> documents: the boundary where array metadata
/// becomes an <see cref="ArrayDefinition"/>. Whatever the JSON holds, the only exception that leaves
/// <see cref="ParseV2"/> and <see cref="ParseV3"/> is <see cref="ZarrFormatException"/> naming the array.
/// </summary>
internal static class ArrayMetadataParser
{
    /// <summary>NumPy's limit, and what the readers' stack buffers per dimension assume.</summary>
    public const int MaxDimensions = 32;

    public static ArrayDefinition ParseV2(JsonObject zarray, JsonObject? zattrs, string path, CodecRegistry registry)
        => AtBoundary(path, () => ReadV2(zarray, zattrs, path, registry));

    public static ArrayDefinition ParseV3(JsonObject doc, string path, CodecRegistry registry)
        => AtBoundary(path, () => ReadV3(doc, path, registry));

    private static ArrayDefinition AtBoundary(string path, Func<ArrayDefinition> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is not (TileServerException or OperationCanceledException or OutOfMemoryException))
        {
            // Codec factories and the chain's size predictions see raw configuration values; whatever they trip on is
            // metadata this server cannot use.
            throw new ZarrFormatException(path, $"array metadata cannot be used: {ex.Message}", ex);
        }
    }

    private static ArrayDefinition ReadV2(JsonObject zarray, JsonObject? zattrs, string path, CodecRegistry registry)
    {
        var shape = JsonHelpers.GetLongArray(zarray, "shape", path);
        var chunks = JsonHelpers.GetIntArray(zarray, "chunks", path);
        CheckGrid(shape, chunks, "chunks", path);

        var dtypeNode = zarray["dtype"];
        string dtypeText = dtypeNode is JsonValue dv && dv.TryGetValue(out string? ds) ? ds! : dtypeNode?.ToJsonString() ?? "(none)";
        var stored = DataTypeInfo.TryParseNumpy(dtypeText)
            ?? throw new ZarrFormatException(path, $"dtype '{dtypeText}' is not a supported numeric type");
        var fill = FillValue.Parse(zarray["fill_value"], stored.Native, path);
        string order = JsonHelpers.GetString(zarray, "order") ?? "C";
        if (order is not ("C" or "F"))
        {
            throw new ZarrFormatException(path, $"order '{order}' is neither C nor F");
        }

        string sep = JsonHelpers.GetString(zarray, "dimension_separator") ?? ".";
        if (sep is not ("." or "/"))
        {
            throw new ZarrFormatException(path, $"dimension_separator '{sep}' is neither '.' nor '/'");
        }

        var rep = new ChunkRepresentation(chunks, stored.Native, fill.Bytes);
        var chain = ChainBuilder.BuildV2(zarray, rep, stored, order == "F", path, registry);
        CheckDecodeUnit(chain, path);
        var attributes = JsonHelpers.CloneObject(zattrs);
        var dims = DimensionNames(attributes["_ARRAY_DIMENSIONS"], "_ARRAY_DIMENSIONS (in .zattrs)", shape.Length, path);
        attributes.Remove("_ARRAY_DIMENSIONS");
        var metadata = Describe(2, shape, chunks, stored.Native, fill, dims, attributes, V2Summary(chain, order, stored));
        return new ArrayDefinition(metadata, shape, chunks, stored.Native, fill, ChunkKeyEncoding.V2(sep[0]), chain);
    }

    private static ArrayDefinition ReadV3(JsonObject doc, string path, CodecRegistry registry)
    {
        var shape = JsonHelpers.GetLongArray(doc, "shape", path);
        var (typeName, _, _) = ChainBuilder.ReadExtension(doc["data_type"], path);
        var type = DataTypeInfo.TryParseV3(typeName)
            ?? throw new ZarrFormatException(path, $"data_type '{typeName}' is not a supported numeric type");
        var (gridName, gridConfig, _) = ChainBuilder.ReadExtension(doc["chunk_grid"], path);
        if (gridName != "regular")
        {
            throw new ZarrFormatException(path, $"chunk grid '{gridName}' is not supported (only 'regular')");
        }

        var chunks = JsonHelpers.GetIntArray(gridConfig, "chunk_shape", path);
        CheckGrid(shape, chunks, "chunk_shape", path);
        var keys = ParseKeyEncoding(doc["chunk_key_encoding"], path);
        if (doc["storage_transformers"] is JsonArray transformers)
        {
            foreach (var t in transformers)
            {
                var (tName, _, must) = ChainBuilder.ReadExtension(t, path);
                if (must)
                {
                    throw new ZarrFormatException(path, $"storage transformer '{tName}' is not supported");
                }
            }
        }

        var fill = FillValue.Parse(doc["fill_value"], type, path);
        var rep = new ChunkRepresentation(chunks, type, fill.Bytes);
        var chain = ChainBuilder.BuildV3(doc["codecs"], rep, path, registry);
        CheckDecodeUnit(chain, path);
        // All-null names say no more than absent ones.
        var dims = doc["dimension_names"] is JsonArray names && names.All(n => n is null)
            ? null
            : DimensionNames(doc["dimension_names"], "dimension_names", shape.Length, path);
        var metadata = Describe(3, shape, chunks, type, fill, dims, JsonHelpers.CloneObject(doc["attributes"]), chain.Summary);
        return new ArrayDefinition(metadata, shape, chunks, type, fill, keys, chain);
    }

    private static ZarrArrayMetadata Describe(int format, long[] shape, int[] chunks, DataTypeInfo type, FillValue fill, IReadOnlyList<string>? dims, JsonObject attributes, string codecs)
        => new()
        {
            ZarrFormat = format,
            Shape = shape,
            ChunkShape = chunks,
            DataType = type.Type,
            FillValue = fill.Value,
            DimensionNames = dims,
            Attributes = attributes,
            CodecSummary = codecs,
        };

    /// <summary>Rank, chunk rank and element count within what one array can be: checked before anything is sized from them.</summary>
    private static void CheckGrid(long[] shape, int[] chunks, string chunksName, string path)
    {
        if (shape.Length > MaxDimensions)
        {
            throw new ZarrFormatException(path, $"'shape' has {shape.Length} dimensions; at most {MaxDimensions} are supported");
        }

        if (chunks.Length != shape.Length)
        {
            throw new ZarrFormatException(path, $"'{chunksName}' has {chunks.Length} dimensions, 'shape' {shape.Length}");
        }

        if (ShapeMath.SaturatingProduct(shape) == long.MaxValue)
        {
            throw new ZarrFormatException(path, $"shape {ShapeMath.Format(shape)} holds more elements than a 64-bit count can number");
        }
    }

    /// <summary>The largest block the chain decodes at once (an inner chunk of a sharded array) must fit in one buffer.</summary>
    private static void CheckDecodeUnit(CodecChain chain, string path)
    {
        var unit = chain.ShardingOnly is { } sharding ? sharding.InnerChain : chain;
        long bytes = unit.Decoded.ByteSize;
        if (bytes > Array.MaxLength)
        {
            throw new ZarrFormatException(path, $"chunks of {ShapeMath.Format(unit.Decoded.Shape)} {unit.Decoded.DataType.Type} elements decode to {ShapeMath.Describe(bytes)} bytes; a chunk is decoded into one buffer of at most {Array.MaxLength} bytes");
        }
    }

    /// <summary>v3 <c>dimension_names</c> (strings or null) or v2 <c>_ARRAY_DIMENSIONS</c>: one per dimension when present.</summary>
    private static string[]? DimensionNames(JsonNode? node, string what, int rank, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray names)
        {
            throw new ZarrFormatException(path, $"{what} must be an array of names");
        }

        if (names.Count != rank)
        {
            throw new ZarrFormatException(path, $"{what} has {names.Count} {(names.Count == 1 ? "name" : "names")} for {rank} dimensions");
        }

        return names.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s! : "").ToArray();
    }

    private static string V2Summary(CodecChain chain, string order, DataTypeInfo stored)
    {
        var parts = new List<string>();
        if (order == "F")
        {
            parts.Add("order F");
        }

        if (stored.BigEndian)
        {
            parts.Add("big-endian");
        }

        foreach (var codec in chain.BytesToBytes)
        {
            parts.Add(codec.Summary);
        }

        return parts.Count == 0 ? "none" : string.Join(",", parts);
    }

    private static ChunkKeyEncoding ParseKeyEncoding(JsonNode? node, string path)
    {
        if (node is null)
        {
            return new ChunkKeyEncoding(true, '/');
        }

        var (name, config, _) = ChainBuilder.ReadExtension(node, path);
        string? sep = JsonHelpers.GetString(config, "separator");
        return name switch
        {
            "default" => new ChunkKeyEncoding(true, Separator(sep ?? "/", path)),
            "v2" => new ChunkKeyEncoding(false, Separator(sep ?? ".", path)),
            _ => throw new ZarrFormatException(path, $"chunk key encoding '{name}' is not supported"),
        };
    }

    private static char Separator(string s, string path)
        => s is "/" or "." ? s[0] : throw new ZarrFormatException(path, $"chunk key separator '{s}' is neither '/' nor '.'");
}
