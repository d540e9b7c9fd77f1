using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Fuzz.Targets;

/// <summary>Shared by the CRS targets: one registry per process (as in the server), whose caches are bounded.</summary>
public abstract class CrsTarget : FuzzTarget
{
    protected static readonly CrsRegistry Registry = new();
    private static readonly Lazy<CrsInfo> Wgs84 = new(() => Registry.FromCode("EPSG:4326"));

    public override InputKind Kind => InputKind.Text;

    /// <summary>A parsed CRS must also be usable: a transform to WGS 84 and back over one point.</summary>
    protected static void Use(CrsInfo? crs)
    {
        if (crs is null)
        {
            return;
        }

        var forward = Registry.CreateTransform(crs, Wgs84.Value);
        double[] x = [500_000], y = [4_500_000];
        forward.Transform(x, y);
        Registry.CreateTransform(Wgs84.Value, crs).Transform(x, y);
    }

    protected static IEnumerable<byte[]> SeedFiles(string extension)
        => Directory.EnumerateFiles(RepositoryFiles.PathOf("tests/fuzz/seeds/crs"), "*" + extension).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);
}

/// <summary>WKT1/WKT2 (and codes, URIs) through <see cref="CrsRegistry.FromAny"/>, the entry used for configured and attribute texts.</summary>
public sealed class CrsWktTarget : CrsTarget
{
    public override string Name => "crs-wkt";
    public override string Contract => "CrsRegistry.FromWkt/FromAny (+ CreateTransform): CrsException only";

    public override void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => Use(Registry.FromAny(text)));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => FixtureJson.Strings("crs_wkt", "spatial_ref").Select(FixtureJson.Utf8)
            .Concat(SeedFiles(".wkt1")).Concat(SeedFiles(".wkt2"))
            .Concat(FixtureJson.Strings("proj:code").Select(FixtureJson.Utf8))
            .ToArray();
}

/// <summary>PROJJSON through <see cref="CrsRegistry.FromProjJson"/>.</summary>
public sealed class CrsProjJsonTarget : CrsTarget
{
    public override string Name => "crs-projjson";
    public override string Contract => "CrsRegistry.FromProjJson (+ CreateTransform): CrsException only";

    public override void Run(byte[] input)
    {
        // Text that is not JSON never reaches the parser: its caller holds a JSON node (an attribute of a Zarr
        // document, parsed with duplicate members refused).
        if (TryParse(input) is not { } node)
        {
            return;
        }

        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => Use(Registry.FromProjJson(node)));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds() => SeedFiles(".projjson").ToArray();

    /// <summary>
    /// JSON as the Zarr layer hands it on: duplicate members refused and every string decoded, so that invalid UTF-8
    /// is refused where the document is read (<c>JsonHelpers.ParseObject</c>), as the server does.
    /// </summary>
    internal static JsonNode? TryParse(byte[] input)
    {
        try
        {
            var node = JsonNode.Parse(input, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
            Decode(node);
            return node;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void Decode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Decode(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Decode(child);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                v.GetValue<string>();
                break;
        }
    }
}

/// <summary>CF grid-mapping attributes through <see cref="CrsRegistry.FromCfGridMapping(JsonObject)"/>.</summary>
public sealed class CrsCfTarget : CrsTarget
{
    public override string Name => "crs-cf";
    public override string Contract => "CrsRegistry.FromCfGridMapping (+ CreateTransform): CrsException only (null when no CRS)";

    public override void Run(byte[] input)
    {
        if (CrsProjJsonTarget.TryParse(input) is not JsonObject attributes)
        {
            return;
        }

        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => Use(Registry.FromCfGridMapping(attributes)));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => FixtureJson.Objects.Where(o => o.ContainsKey("grid_mapping_name") || o.ContainsKey("crs_wkt") || o.ContainsKey("spatial_ref"))
            .Select(o => o.ToJsonString()).Distinct(StringComparer.Ordinal).Select(FixtureJson.Utf8).ToArray();
}

/// <summary>
/// CF time units and calendar (input: units, a newline, the calendar) through <see cref="CfTime.TryCreate"/>, then
/// <see cref="CfTime.ToIso"/> and <see cref="CfTime.FromIso"/> at extreme offsets. Documented to throw nothing.
/// </summary>
public sealed class CfTimeTarget : FuzzTarget
{
    private static readonly double[] Offsets = [0, 1, -1, 0.5, 1e6, -1e6, 1e12, -1e12, 1e300, double.MaxValue, double.MinValue, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    public override string Name => "cf-time";
    public override string Contract => "CfTime.TryCreate/ToIso/FromIso: nothing (null or \"NaT\" instead)";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        int nl = text.IndexOf('\n', StringComparison.Ordinal);
        string units = nl < 0 ? text : text[..nl];
        string? calendar = nl < 0 ? null : text[(nl + 1)..];
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.Nothing, () =>
        {
            if (CfTime.TryCreate(units, calendar) is not { } time)
            {
                return;
            }

            foreach (double offset in Offsets)
            {
                string iso = time.ToIso(offset);
                time.FromIso(iso);
            }

            time.FromIso(units);
            time.FromIso(calendar ?? "");
        });
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => FixtureJson.Objects.Where(o => o["units"] is JsonValue u && u.ToString().Contains("since", StringComparison.Ordinal))
            .Select(o => o["units"]!.ToString() + (o["calendar"] is { } c ? "\n" + c : ""))
            .Distinct(StringComparer.Ordinal).Select(FixtureJson.Utf8).ToArray();
}
