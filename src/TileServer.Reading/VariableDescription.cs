using System.Text.Json.Nodes;
using TileServer.GeoZarr;
using TileServer.Zarr;

namespace TileServer.Reading;

/// <summary>A variable as <c>/datasets/{id}</c> describes it: storage facts as plain values, CF decoding and dimensions.</summary>
public sealed record VariableDescription
{
    public required string Name { get; init; }
    public string? LongName { get; init; }
    public JsonNode? StandardName { get; init; }
    public string? Units { get; init; }

    /// <summary>Lower-case Zarr data type name (<c>float32</c>, <c>uint8</c>…).</summary>
    public required string DataType { get; init; }
    public required IReadOnlyList<long> Shape { get; init; }
    public required IReadOnlyList<int> Chunks { get; init; }
    public required string Codecs { get; init; }
    public int ZarrFormat { get; init; }
    public required IReadOnlyList<DimensionInfo> Dimensions { get; init; }
    public required CfDecoding Cf { get; init; }
    public JsonNode? FlagValues { get; init; }
    public JsonNode? FlagMeanings { get; init; }

    public static VariableDescription Of(GeoVariable v)
    {
        var meta = v.Array.Metadata;
        return new VariableDescription
        {
            Name = v.Name,
            LongName = v.LongName,
            StandardName = v.Attributes["standard_name"]?.DeepClone(),
            Units = v.Units,
            DataType = meta.DataType.ToString().ToLowerInvariant(),
            Shape = meta.Shape,
            Chunks = meta.ChunkShape,
            Codecs = meta.CodecSummary,
            ZarrFormat = meta.ZarrFormat,
            Dimensions = v.Dimensions,
            Cf = v.Cf,
            FlagValues = v.Attributes["flag_values"]?.DeepClone(),
            FlagMeanings = v.Attributes["flag_meanings"]?.DeepClone(),
        };
    }

    internal static bool IsUInt8(GeoVariable v) => v.Array.Metadata.DataType == ZarrDataType.UInt8;
}
