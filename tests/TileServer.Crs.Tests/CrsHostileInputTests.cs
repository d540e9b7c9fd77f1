using System.Text.Json.Nodes;
using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

/// <summary>
/// CRS texts that parse but cannot describe a usable CRS (non-finite numbers, impossible ellipsoids, projections no
/// formula accepts, duplicate JSON members): each is a <see cref="CrsException"/> when the text is read, saying what is
/// wrong, and never a CRS that maps points to NaN or to made-up places on the first tile.
/// </summary>
public sealed class CrsHostileInputTests
{
    private const string Geog = "GEOGCS[\"g\",DATUM[\"d\",SPHEROID[\"s\",6378137,298.257223563]],PRIMEM[\"G\",0],UNIT[\"degree\",0.0174532925199433]]";

    private readonly CrsRegistry _registry = new();

    [Theory]
    [InlineData("PROJCS[\"x\"," + Geog + ",PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"scale_factor\",1e400],UNIT[\"m\",1]]", "Invalid WKT number '1e400'")]
    [InlineData("GEOGCS[\"g\",DATUM[\"d\",SPHEROID[\"s\",6378137,0.5]],PRIMEM[\"G\",0],UNIT[\"degree\",0.0174532925199433]]", "implausible size (a = 6378137, 1/f = 0.5)")]
    [InlineData("GEOGCS[\"g\",DATUM[\"d\",SPHEROID[\"s\",6378137,298]],PRIMEM[\"G\",1e400],UNIT[\"degree\",0.0174532925199433]]", "Invalid WKT number '1e400'")]
    [InlineData("PROJCS[\"x\"," + Geog + ",PROJECTION[\"Krovak\"],UNIT[\"m\",1]]", "ProjNet could not read the WKT")]
    [InlineData("PROJCS[\"x\"," + Geog + ",PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"standard_parallel_1\",40],PARAMETER[\"standard_parallel_2\",-40],UNIT[\"m\",1]]", "symmetric about the equator")]
    public void Unusable_wkt_is_refused_when_read(string wkt, string expected)
    {
        var ex = Assert.Throws<CrsException>(() => _registry.FromWkt(wkt));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "GeographicCRS", "name": "a", "name": "b"}""", "Duplicate property 'name'")]
    [InlineData("""{"type": "GeographicCRS", "datum": {"name": "d", "ellipsoid": {"semi_major_axis": 1e400, "inverse_flattening": 298}}}""", "\"semi_major_axis\" is not a finite number")]
    [InlineData("""{"type": "GeographicCRS", "datum": {"name": "d", "ellipsoid": {"radius": 12}}}""", "PROJJSON ellipsoid has an implausible size")]
    public void Unusable_projjson_is_refused_when_read(string json, string expected)
    {
        var ex = Assert.Throws<CrsException>(() => _registry.FromAny(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Projjson_whose_object_model_holds_duplicate_members_is_a_crs_error()
    {
        // A caller's lenient parse keeps both members; reading them is where System.Text.Json objects.
        var node = JsonNode.Parse("""{"type": "GeographicCRS", "datum": {"name": "a", "name": "b"}}""")!;
        Assert.Throws<CrsException>(() => _registry.FromProjJson(node));
    }

    [Theory]
    [InlineData("""{"grid_mapping_name": "transverse_mercator", "scale_factor_at_central_meridian": "x"}""", "'scale_factor_at_central_meridian' is \"x\", not a finite number")]
    [InlineData("""{"grid_mapping_name": "latitude_longitude", "semi_major_axis": 1e400}""", "'semi_major_axis' is 1e400, not a finite number")]
    [InlineData("""{"grid_mapping_name": "transverse_mercator", "earth_radius": 0}""", "CF ellipsoid has an implausible size (a = 0")]
    [InlineData("""{"grid_mapping_name": "latitude_longitude", "towgs84": ["a", 1, 2]}""", "towgs84 value 1 is \"a\"")]
    [InlineData("""{"grid_mapping_name": "lambert_conformal_conic", "standard_parallel": {}}""", "'standard_parallel' is {}")]
    public void Unusable_cf_grid_mappings_are_refused_when_read(string json, string expected)
    {
        var ex = Assert.Throws<CrsException>(() => _registry.FromCfGridMapping(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
