using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>What a codec factory may need: where it is, the array's stored type and the representation at its position.</summary>
internal sealed record CodecBuildContext(string Path, int ZarrFormat, DataTypeInfo StoredType, ChunkRepresentation Current, CodecRegistry Registry);

internal delegate ICodec CodecFactory(JsonObject configuration, CodecBuildContext context);

/// <summary>
/// Name → factory for every codec we can decode. v2 uses numcodecs ids (<c>"zstd"</c>, <c>"blosc"</c>...); v3 uses
/// registered names (<c>"bytes"</c>, <c>"sharding_indexed"</c>...) and zarr-python's <c>"numcodecs.*"</c> names.
/// </summary>
internal sealed class CodecRegistry
{
    private readonly FrozenDictionary<string, CodecFactory> _v2;
    private readonly FrozenDictionary<string, CodecFactory> _v3;

    public CodecRegistry(IDictionary<string, CodecFactory> v2, IDictionary<string, CodecFactory> v3)
    {
        _v2 = v2.ToFrozenDictionary(StringComparer.Ordinal);
        _v3 = v3.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static CodecRegistry Default { get; } = CreateDefault();

    public ICodec Create(string name, JsonObject configuration, CodecBuildContext context)
    {
        var table = context.ZarrFormat == 2 ? _v2 : _v3;
        return table.TryGetValue(name, out var factory)
            ? factory(configuration, context)
            : throw new ZarrFormatException(context.Path, $"unsupported codec '{name}'" + (IsKnownUnsupported(name) ? " (lossy/experimental codec without a .NET decoder)" : ""));
    }

    private static bool IsKnownUnsupported(string name) => name.EndsWith("pcodec", StringComparison.Ordinal) || name.EndsWith("zfpy", StringComparison.Ordinal) || name.EndsWith("lzma", StringComparison.Ordinal);

    private static CodecRegistry CreateDefault()
    {
        var v2 = new Dictionary<string, CodecFactory>
        {
            ["zlib"] = (c, _) => new DeflateCodec($"zlib({Level(c)})"),
            ["gzip"] = (c, _) => new DeflateCodec($"gzip({Level(c)})"),
            ["zstd"] = (c, _) => new ZstdCodec($"zstd({Level(c)})"),
            ["lz4"] = (_, _) => new Lz4Codec(),
            ["bz2"] = (_, _) => new Bz2Codec(),
            ["blosc"] = (c, _) => new BloscCodec(BloscSummary(c)),
            ["delta"] = (c, ctx) => new DeltaFilter(NumpyType(c, "dtype", ctx), NumpyType(c, "astype", ctx, "dtype")),
            ["fixedscaleoffset"] = (c, ctx) => new FixedScaleOffsetFilter(NumpyType(c, "dtype", ctx), NumpyType(c, "astype", ctx, "dtype"), JsonHelpers.GetDouble(c, "scale", 1), JsonHelpers.GetDouble(c, "offset", 0)),
            ["astype"] = (c, ctx) => new AsTypeFilter(NumpyType(c, "decode_dtype", ctx), NumpyType(c, "encode_dtype", ctx)),
            ["shuffle"] = (c, ctx) => new ShuffleFilter(ElementSize(c, ctx)),
            ["crc32"] = (c, _) => new Checksum32Codec(Checksum32Kind.Crc32, JsonHelpers.GetString(c, "location") == "end"),
            ["adler32"] = (c, _) => new Checksum32Codec(Checksum32Kind.Adler32, JsonHelpers.GetString(c, "location") == "end"),
            ["fletcher32"] = (_, _) => new Checksum32Codec(Checksum32Kind.Fletcher32, true),
        };

        var v3 = new Dictionary<string, CodecFactory>
        {
            ["bytes"] = (c, _) => new BytesCodec(JsonHelpers.GetString(c, "endian") == "big"),
            ["endian"] = (c, _) => new BytesCodec(JsonHelpers.GetString(c, "endian") == "big"),
            ["transpose"] = (c, ctx) => new TransposeCodec(TransposeOrder(c, ctx)),
            ["gzip"] = (c, _) => new DeflateCodec($"gzip({Level(c)})"),
            ["zstd"] = (c, _) => new ZstdCodec($"zstd({Level(c)})"),
            ["blosc"] = (c, _) => new BloscCodec(BloscSummary(c)),
            ["crc32c"] = (_, _) => new Crc32cCodec(),
            ["sharding_indexed"] = (c, ctx) => ShardingCodec.Create(c, ctx),
        };
        foreach (var (name, factory) in v2)
        {
            v3["numcodecs." + name] = factory;
        }

        return new CodecRegistry(v2, v3);
    }

    private static string Level(JsonObject c) => (c["level"] ?? c["clevel"])?.ToJsonString() ?? "";

    private static string BloscSummary(JsonObject c)
    {
        string shuffle = c["shuffle"] switch
        {
            JsonValue v when v.TryGetValue(out int i) => i switch { 0 => "noshuffle", 1 => "shuffle", 2 => "bitshuffle", _ => "autoshuffle" },
            JsonValue v when v.TryGetValue(out string? s) => s ?? "",
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"blosc({JsonHelpers.GetString(c, "cname") ?? "lz4"},{JsonHelpers.GetInt(c, "clevel", 5)},{shuffle})");
    }

    private static DataTypeInfo NumpyType(JsonObject c, string key, CodecBuildContext ctx, string? fallbackKey = null)
    {
        string? s = JsonHelpers.GetString(c, key) ?? (fallbackKey is null ? null : JsonHelpers.GetString(c, fallbackKey));
        if (s is null)
        {
            return ctx.StoredType;
        }

        // zarr-python 3 writes NumPy names ("int32") where numcodecs 2 wrote type strings ("<i4").
        return DataTypeInfo.TryParseNumpy(s) ?? DataTypeInfo.TryParseV3(s) ?? throw new ZarrFormatException(ctx.Path, $"codec type '{s}' is not a numeric NumPy type");
    }

    private static int ElementSize(JsonObject c, CodecBuildContext ctx)
    {
        int size = JsonHelpers.GetInt(c, "elementsize", 4);

        // numcodecs shuffles elements of a NumPy type; Blosc stores the same number in one byte.
        return size is >= 0 and <= byte.MaxValue ? size : throw new ZarrFormatException(ctx.Path, $"shuffle elementsize {size} is not between 0 and 255");
    }

    private static int[] TransposeOrder(JsonObject c, CodecBuildContext ctx)
    {
        int nd = ctx.Current.Shape.Length;
        switch (c["order"])
        {
            case JsonArray arr:
                if (arr.Count != nd)
                {
                    throw new ZarrFormatException(ctx.Path, $"transpose order has {arr.Count} axes, the chunks {nd}");
                }

                var order = new int[arr.Count];
                var seen = new bool[arr.Count];
                for (int i = 0; i < order.Length; i++)
                {
                    order[i] = arr[i] is JsonValue v && v.TryGetValue(out int o) && o >= 0 && o < order.Length && !seen[o]
                        ? o
                        : throw new ZarrFormatException(ctx.Path, "transpose order must be a permutation of the axes");
                    seen[order[i]] = true;
                }

                return order;
            case JsonValue v when v.TryGetValue(out string? s) && s == "F":
                return Enumerable.Range(0, nd).Reverse().ToArray();
            case JsonValue v when v.TryGetValue(out string? s) && s == "C":
                return Enumerable.Range(0, nd).ToArray();
            default:
                throw new ZarrFormatException(ctx.Path, "transpose codec needs an 'order'");
        }
    }
}
