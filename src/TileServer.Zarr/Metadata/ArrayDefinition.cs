using System.Text.Json.Nodes;
using TileServer.Zarr.Codecs;

namespace TileServer.Zarr.Metadata;

/// <summary>Everything the reader needs of one array, parsed and validated once.</summary>
internal sealed record ArrayDefinition(
    ZarrArrayMetadata Metadata,
    long[] Shape,
    int[] ChunkShape,
    DataTypeInfo DataType,
    FillValue Fill,
    ChunkKeyEncoding KeyEncoding,
    CodecChain Chain);

/// <summary>Parses v2 <c>.zarray</c>+<c>.zattrs</c> and v3 array <c>zarr.json</c> documents.</summary>
internal static class ArrayMetadataParser
{
    public static ArrayDefinition ParseV2(JsonObject zarray, JsonObject? zattrs, string path, CodecRegistry registry)
    {
        var shape = JsonHelpers.GetLongArray(zarray, "shape", path);
        var chunks = JsonHelpers.GetIntArray(zarray, "chunks", path);
        if (chunks.Length != shape.Length)
        {
            throw new ZarrFormatException(path, $"'chunks' has {chunks.Length} dimensions, 'shape' {shape.Length}");
        }

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
        var attributes = JsonHelpers.CloneObject(zattrs);
        IReadOnlyList<string>? dims = null;
        if (attributes["_ARRAY_DIMENSIONS"] is JsonArray names)
        {
            dims = names.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s! : "").ToArray();
            attributes.Remove("_ARRAY_DIMENSIONS");
        }

        var metadata = new ZarrArrayMetadata
        {
            ZarrFormat = 2,
            Shape = shape,
            ChunkShape = chunks,
            DataType = stored.Type,
            FillValue = fill.Value,
            DimensionNames = dims,
            Attributes = attributes,
            CodecSummary = V2Summary(chain, order, stored),
        };
        return new ArrayDefinition(metadata, shape, chunks, stored.Native, fill, ChunkKeyEncoding.V2(sep[0]), chain);
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

    public static ArrayDefinition ParseV3(JsonObject doc, string path, CodecRegistry registry)
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
        if (chunks.Length != shape.Length)
        {
            throw new ZarrFormatException(path, $"chunk_shape has {chunks.Length} dimensions, 'shape' {shape.Length}");
        }

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
        IReadOnlyList<string>? dims = null;
        if (doc["dimension_names"] is JsonArray names && names.Any(n => n is not null))
        {
            dims = names.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s! : "").ToArray();
        }

        var metadata = new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = shape,
            ChunkShape = chunks,
            DataType = type.Type,
            FillValue = fill.Value,
            DimensionNames = dims,
            Attributes = JsonHelpers.CloneObject(doc["attributes"]),
            CodecSummary = chain.Summary,
        };
        return new ArrayDefinition(metadata, shape, chunks, type, fill, keys, chain);
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
