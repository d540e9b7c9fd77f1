using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using TileServer.Crs;
using TileServer.Reading;
using TileServer.Reading.Areas;
using TileServer.Reading.Expressions;
using TileServer.Reading.Raster;

namespace TileServer.Fuzz.Targets;

/// <summary>The areas, statistics and expressions references (tests/data/areas/references.json), the seeds of the targets below.</summary>
internal static class AreaReferences
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(File.ReadAllBytes(RepositoryFiles.PathOf("tests/data/areas/references.json"))) as JsonObject
            ?? throw new InvalidOperationException("tests/data/areas/references.json is not a JSON object"));

    public static JsonObject Json => Document.Value;

    public static IEnumerable<JsonObject> Cases(string name) => (Json[name] as JsonArray ?? []).OfType<JsonObject>();
}

/// <summary><c>expression=</c> through <see cref="BandExpression.Parse"/>, then its canonical form and names.</summary>
public sealed class ExpressionTarget : FuzzTarget
{
    public override string Name => "expression";
    public override string Contract => "BandExpression.Parse (+ Canonical, Names): BadRequestException only; length, nodes and outputs capped";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () =>
        {
            var expression = BandExpression.Parse(text);
            _ = expression.Canonical;
            expression.Names();
        });
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => (AreaReferences.Json["expressions"] as JsonObject ?? []).Select(e => e.Key)
            .Concat(AreaReferences.Cases("statistics").Select(c => QueryHelpers.ParseQuery((string?)c["query"] ?? "").TryGetValue("expression", out var e) ? e.ToString() : ""))
            .Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).Select(FixtureJson.Utf8).ToArray();
}

/// <summary>
/// A <c>/feature</c> or <c>/statistics</c> body through <see cref="GeoJsonReader.Parse"/> with the default limits, then
/// the union the endpoints take (NetTopologySuite), the area's bounds and the feature collection written back.
/// </summary>
public sealed class GeoJsonTarget : FuzzTarget
{
    private static readonly ReaderOptions Defaults = new();

    public override string Name => "geojson";
    public override string Contract => "GeoJsonReader.Parse (+ Union, the collection written back): BadRequestException, TooLargeException (our error kinds) only; features and vertices capped";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        // NetTopologySuite's union works on the geometry it was given: its cost follows the vertices, capped by MaxVertices.
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () =>
        {
            var areas = GeoJsonReader.Parse(input, new GeoJsonLimits(Defaults.MaxFeatures, Defaults.MaxVertices));
            _ = areas.Union().EnvelopeInternal;

            // /statistics answers with the body's features, their properties kept.
            areas.FeatureCollection.ToJsonString();
        });
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
    {
        var features = AreaReferences.Cases("features").Concat(AreaReferences.Cases("statistics"))
            .Select(c => c["feature"]).OfType<JsonObject>().Select(f => f.ToJsonString()).Distinct(StringComparer.Ordinal).ToList();
        var geometries = AreaReferences.Cases("features").Select(c => c["feature"]?["geometry"]).OfType<JsonObject>().Select(g => g.ToJsonString());
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray([.. features.Select(f => JsonNode.Parse(f))]) };
        return features.Concat(geometries).Append(collection.ToJsonString()).Select(FixtureJson.Utf8).ToArray();
    }
}

/// <summary>
/// The area endpoints' own query parameters (<c>bbox</c>, <c>size</c>, <c>coord_crs</c>/<c>dst_crs</c>, the statistics
/// options <c>categorical</c>, <c>c</c>, <c>p</c>, <c>histogram_bins</c>, <c>histogram_range</c>, <c>coverage_method</c>)
/// through <see cref="AreaParameters"/>, each on its own.
/// </summary>
public sealed class AreaQueryTarget : FuzzTarget
{
    private static readonly CrsRegistry Crs = new();

    public override string Name => "area-query";
    public override string Contract => "AreaParameters.Box/Size/Crs/StatisticsOptions: BadRequestException only";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        var query = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(input));
        string? First(string name) => query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;
        long bound = Invariants.TextBound(input.Length);
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => AreaParameters.Box(First("bbox") ?? "", "bbox"));
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => AreaParameters.Size(First("size") ?? "", RasterReader.MaxEdge));
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => AreaParameters.Crs(First("coord_crs"), "coord_crs", Crs));
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => AreaParameters.Crs(First("dst_crs"), "dst_crs", Crs));
        Invariants.Check(Name, bound, Invariants.IsOwnError, () =>
            AreaParameters.StatisticsOptions(name => query.TryGetValue(name, out var v) ? v.Where(s => s is not null).Select(s => s!).ToArray() : []));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
    {
        var fromReferences = AreaReferences.Cases("statistics")
            .Select(c => ((string?)c["query"] ?? "") + (c["bbox"] is JsonArray box ? "&bbox=" + string.Join(",", box.Select(v => v!.ToJsonString())) : ""));
        var warp = AreaReferences.Json["bbox_warp"] is JsonObject w
            ? $"bbox={string.Join(",", (w["bbox"] as JsonArray ?? []).Select(v => v!.ToJsonString()))}&dst_crs={(string?)w["crs"]}&size={string.Join("x", (w["size"] as JsonArray ?? []).Select(v => v!.ToJsonString()))}"
            : "";
        return fromReferences.Append(warp).Append("coord_crs=http://www.opengis.net/def/crs/EPSG/0/32633&histogram_bins=0,1,2.5,10&p=99.9&categorical=yes")
            .Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Select(FixtureJson.Utf8).ToArray();
    }
}
