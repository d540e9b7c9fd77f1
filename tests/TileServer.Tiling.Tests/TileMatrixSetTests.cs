using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Tiling.Tests;

public class TileMatrixSetTests
{
    private const double R = 6378137.0;
    private const double HalfWorld = 20037508.342789244; // π·R, the README's number
    private static readonly TileMatrixSetRegistry Registry = TestCrs.Registry();

    private static TileMatrixSet Get(string id)
    {
        Assert.True(Registry.TryGet(id, out var tms), id + " not loaded: " + string.Join("; ", Registry.Skipped.Select(kv => kv.Key + ": " + kv.Value)));
        return tms;
    }

    [Fact]
    public void All_embedded_definitions_load()
    {
        Assert.Empty(Registry.Skipped);
        Assert.Equal(70, Registry.All.Count); // 60 UTM + 10 others, see Data/tms
        Assert.True(Registry.TryGet("webmercatorquad", out var wm));
        Assert.Equal("WebMercatorQuad", wm.Id);
        Assert.False(Registry.TryGet("NoSuchSet", out _));
    }

    [Fact]
    public void WebMercatorQuad_cell_sizes_and_scales_follow_the_formulas()
    {
        var tms = Get("WebMercatorQuad");
        Assert.Equal(25, tms.TileMatrices.Count);
        for (int z = 0; z <= 24; z++)
        {
            var m = tms.FindMatrix(z.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
            double cell = 2 * Math.PI * R / (256 * Math.Pow(2, z));
            Assertions.Relative(cell, m.CellSize, what: $"z{z} cellSize");
            Assertions.Relative(cell / 0.00028, m.ScaleDenominator, what: $"z{z} scale");
            Assertions.Relative(m.ScaleDenominator, ScaleMath.ScaleFromCellSize(m.CellSize, 1.0), what: $"z{z} 0.28mm rule");
            Assert.Equal(1L << z, m.MatrixWidth);
            Assert.Equal(1L << z, m.MatrixHeight);
        }

        // Rows of the OGC digest table.
        Assertions.Relative(136494.693366386, tms.FindMatrix("12")!.ScaleDenominator);
        Assertions.Relative(38.2185141425881, tms.FindMatrix("12")!.CellSize);
        Assertions.Relative(0.0093306919293428, tms.FindMatrix("24")!.CellSize);
    }

    [Fact]
    public void WorldCRS84Quad_uses_metres_per_degree_of_the_equator()
    {
        Assertions.Relative(111319.49079327357, ScaleMath.MetersPerDegree, 1e-15);
        var tms = Get("WorldCRS84Quad");
        for (int z = 0; z <= 23; z++)
        {
            var m = tms.TileMatrices[z];
            Assert.Equal(z.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Id);
            Assertions.Relative(0.703125 / Math.Pow(2, z), m.CellSize, what: $"z{z} cellSize");
            Assertions.Relative(m.ScaleDenominator, ScaleMath.ScaleFromCellSize(m.CellSize, ScaleMath.MetersPerDegree), what: $"z{z} scale");
            Assertions.Relative(m.CellSize, ScaleMath.CellSizeFromScale(m.ScaleDenominator, ScaleMath.MetersPerDegree), what: $"z{z} cell from scale");
            Assert.Equal(2L << z, m.MatrixWidth);
            Assert.Equal(1L << z, m.MatrixHeight);
        }

        Assertions.Relative(279541132.014358, tms.TileMatrices[0].ScaleDenominator);
    }

    [Fact]
    public void Every_quad_set_obeys_the_028mm_rule()
    {
        // CanadianNAD83_LCC's cell sizes do not follow the 0.28 mm rule. CDB, GNOSIS and the UPS sets publish rounded
        // numbers at fine levels (up to 2.5e-5 relative off): checked loosely, which still catches a wrong metres-per-unit.
        string[] rounded = ["CDB1GlobalGrid", "GNOSISGlobalGrid", "UPSArcticWGS84Quad", "UPSAntarcticWGS84Quad"];
        foreach (var tms in Registry.All.Where(t => t.Id != "CanadianNAD83_LCC"))
        {
            double mpu = tms.Crs.IsGeographic ? ScaleMath.MetersPerDegree : 1.0;
            foreach (var m in tms.TileMatrices)
            {
                Assertions.Relative(m.ScaleDenominator, ScaleMath.ScaleFromCellSize(m.CellSize, mpu), rounded.Contains(tms.Id) ? 1e-4 : 1e-9, $"{tms.Id}/{m.Id}");
            }
        }
    }

    public static TheoryData<int, long, long> WebMercatorTiles => new()
    {
        { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 1 }, { 2, 3, 2 }, { 3, 4, 2 }, { 5, 17, 11 }, { 9, 276, 179 }, { 12, 2204, 1427 },
        { 14, 6604, 8557 }, { 18, 137000, 91000 }, { 24, 16777215, 0 }, { 24, 8388608, 8388607 },
    };

    [Theory]
    [MemberData(nameof(WebMercatorTiles))]
    public void WebMercatorQuad_tile_bounds_match_the_reference_formula(int z, long x, long y)
    {
        var tms = Get("WebMercatorQuad");
        var m = tms.FindMatrix(z.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        double size = 40075016.68557849 / Math.Pow(2, z);
        var expected = new Extent(-HalfWorld + (x * size), HalfWorld - ((y + 1) * size), -HalfWorld + ((x + 1) * size), HalfWorld - (y * size));
        Assertions.Extent(expected, tms.TileBounds(m, x, y), 1e-9 * HalfWorld, $"{z}/{x}/{y}");
        Assert.True(tms.IsValidTile(m, x, y));
        Assert.False(tms.IsValidTile(m, 1L << z, y));
        Assert.False(tms.IsValidTile(m, x, -1));
    }

    [Fact]
    public void WebMercatorQuad_matches_the_reference_catalog_bounds()
    {
        var tms = Get("WebMercatorQuad");
        var catalog = TestData.Json("real", "landsat", "ref", "catalog.json");
        foreach (var t in catalog["tiles"]!.AsArray())
        {
            var m = tms.FindMatrix(t!["z"]!.ToString())!;
            var b = t["bounds_3857"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assertions.Extent(new Extent(b[0], b[1], b[2], b[3]), tms.TileBounds(m, t["x"]!.GetValue<long>(), t["y"]!.GetValue<long>()), 1e-9 * HalfWorld);
        }
    }

    [Fact]
    public void Lon_lat_and_lat_lon_sets_give_the_same_GIS_order_bounds()
    {
        var crs84 = Get("WorldCRS84Quad");
        var wgs = Get("WGS1984Quad");
        Assert.False(crs84.NorthingFirst);
        Assert.True(wgs.NorthingFirst);
        Assert.Equal([90.0, -180.0], wgs.TileMatrices[0].PointOfOrigin);
        Assert.Equal([-180.0, 90.0], crs84.TileMatrices[0].PointOfOrigin);

        // z1 is 4×2 tiles of 90°: column 3, row 0 = lon 90..180, lat 0..90; column 0 row 1 = lon -180..-90, lat -90..0.
        foreach (var tms in new[] { crs84, wgs })
        {
            var z1 = tms.FindMatrix("1")!;
            Assertions.Extent(new Extent(90, 0, 180, 90), tms.TileBounds(z1, 3, 0), 1e-12, tms.Id);
            Assertions.Extent(new Extent(-180, -90, -90, 0), tms.TileBounds(z1, 0, 1), 1e-12, tms.Id);
            var z5 = tms.FindMatrix("5")!;
            double s = 0.703125 / 32 * 256;
            Assertions.Extent(new Extent(-180 + (17 * s), 90 - (10 * s), -180 + (18 * s), 90 - (9 * s)), tms.TileBounds(z5, 17, 9), 1e-12, tms.Id);
        }
    }

    [Fact]
    public void European_LAEA_origin_is_northing_first()
    {
        var tms = Get("EuropeanETRS89_LAEAQuad");
        Assert.True(tms.NorthingFirst);
        // Digest: extent E 2 000 000 – 6 500 000, N 1 000 000 – 5 500 000.
        Assertions.Extent(new Extent(2_000_000, 1_000_000, 6_500_000, 5_500_000), tms.TileBounds(tms.FindMatrix("0")!, 0, 0), 1e-6);
        Assertions.Extent(new Extent(2_000_000, 3_250_000, 4_250_000, 5_500_000), tms.TileBounds(tms.FindMatrix("1")!, 0, 0), 1e-6);
    }

    [Fact]
    public void Utm_sets_start_at_matrix_1_and_split_at_the_equator()
    {
        var tms = Get("UTM33WGS84Quad");
        Assert.Equal("EPSG:32633", tms.Crs.Code);
        Assert.Null(tms.FindMatrix("0"));
        var z1 = tms.FindMatrix("1")!;
        Assert.Equal(1, z1.MatrixWidth);
        Assert.Equal(2, z1.MatrixHeight);
        Assertions.Extent(new Extent(-9501965.72931276, 0, 10501965.72931276, 20003931.4586255), tms.TileBounds(z1, 0, 0), 1e-9 * 2e7);
        Assertions.Extent(new Extent(-9501965.72931276, -20003931.4586255, 10501965.72931276, 0), tms.TileBounds(z1, 0, 1), 1e-9 * 2e7);
        var z2 = tms.FindMatrix("2")!;
        Assert.Equal(2, z2.MatrixWidth);
        Assertions.Relative(78140.3572602559 / 2, z2.CellSize);
        // The central meridian (false easting 500 000) is the boundary between the two columns.
        Assertions.Near(500_000, tms.TileBounds(z2, 1, 0).MinX, 1e-9 * 2e7);
    }

    [Theory]
    [InlineData("UPSArcticWGS84Quad")]
    [InlineData("UPSAntarcticWGS84Quad")]
    public void Polar_sets_are_centred_on_the_pole(string id)
    {
        var tms = Get(id);
        var b = tms.TileBounds(tms.FindMatrix("0")!, 0, 0);
        // The pole is at (2 000 000, 2 000 000) (false easting/northing).
        Assertions.Near(2_000_000, (b.MinX + b.MaxX) / 2, 1e-9 * 2e7);
        Assertions.Near(2_000_000, (b.MinY + b.MaxY) / 2, 1e-9 * 2e7);
        Assertions.Relative(128443.4324 * 256, b.Width);
        var z3 = tms.FindMatrix("3")!;
        Assert.Equal(8, z3.MatrixWidth);
        var centre = tms.TileBounds(z3, 4, 4);
        Assertions.Near(2_000_000, centre.MinX, 1e-9 * 2e7);
        Assertions.Near(2_000_000, centre.MaxY, 1e-9 * 2e7);
    }

    [Fact]
    public void Gnosis_coalesced_rows_are_addressed_by_their_first_column()
    {
        var tms = Get("GNOSISGlobalGrid");
        var z1 = tms.FindMatrix("1")!;
        Assert.Equal(2, z1.CoalesceForRow(0));
        Assert.Equal(1, z1.CoalesceForRow(1));
        Assert.True(tms.IsValidTile(z1, 2, 0));
        Assert.False(tms.IsValidTile(z1, 3, 0));
        Assert.True(tms.IsValidTile(z1, 3, 1));
        // Row 0 tiles are 2 × 45° wide; row 1 tiles 45°.
        Assertions.Extent(new Extent(-90, 45, 0, 90), tms.TileBounds(z1, 2, 0), 1e-12);
        Assertions.Extent(new Extent(-45, 0, 0, 45), tms.TileBounds(z1, 3, 1), 1e-12);
    }

    [Fact]
    public void Tile_range_covers_a_bbox_with_the_annex_epsilon()
    {
        var tms = Get("WebMercatorQuad");
        var z2 = tms.FindMatrix("2")!;
        Assert.Equal((1L, 1L, 1L, 1L), tms.TileRange(z2, tms.TileBounds(z2, 1, 1)));
        Assert.Equal((0L, 0L, 3L, 3L), tms.TileRange(z2, new Extent(-3e7, -3e7, 3e7, 3e7)));
        var z3 = tms.FindMatrix("3")!;
        Assert.Equal((4L, 2L, 4L, 2L), tms.TileRange(z3, new Extent(1e5, 6e6, 2e5, 6.1e6)));
        var (minCol, _, maxCol, _) = tms.TileRange(z2, new Extent(2.5e7, 0, 2.6e7, 1));
        Assert.True(minCol > maxCol, "a bbox east of the matrix has no tiles");

        var wgs = Get("WGS1984Quad");
        var w1 = wgs.FindMatrix("1")!;
        Assert.Equal((2L, 0L, 3L, 0L), wgs.TileRange(w1, new Extent(10, 10, 170, 80)));
    }

    [Fact]
    public void Compatible_json_carries_tms_1_and_2_members()
    {
        var tms = Get("WGS1984Quad");
        var o = tms.ToCompatibleJson();
        Assert.Equal("TileMatrixSetType", (string?)o["type"]);
        Assert.Equal("WGS1984Quad", (string?)o["identifier"]);
        Assert.Equal("WGS1984Quad", (string?)o["id"]);
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/4326", (string?)o["supportedCRS"]);
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/4326", (string?)o["crs"]);
        var v1 = o["tileMatrix"]!.AsArray();
        var v2 = o["tileMatrices"]!.AsArray();
        Assert.Equal(24, v1.Count);
        Assert.Equal(24, v2.Count);
        Assert.Equal("TileMatrixType", (string?)v1[3]!["type"]);
        Assert.Equal("3", (string?)v1[3]!["identifier"]);
        Assert.Equal(90.0, v1[3]!["topLeftCorner"]![0]!.GetValue<double>());
        Assert.Equal(-180.0, v1[3]!["topLeftCorner"]![1]!.GetValue<double>());
        Assert.Equal(34942641.5017948, v1[3]!["scaleDenominator"]!.GetValue<double>(), 6);
        Assert.Equal(16, v1[3]!["matrixWidth"]!.GetValue<long>());
        Assert.Equal(0.087890625, v2[3]!["cellSize"]!.GetValue<double>());
        Assert.Equal("3", (string?)v2[3]!["identifier"]);
        // The stored document is not modified.
        Assert.Null(tms.Json["type"]);
    }

    [Fact]
    public void Tms_1_0_documents_are_read_and_cell_size_derived()
    {
        var v1 = JsonNode.Parse("""
            {"type":"TileMatrixSetType","identifier":"GoogleLike","supportedCRS":"http://www.opengis.net/def/crs/EPSG/0/3857",
             "boundingBox":{"type":"BoundingBoxType","lowerCorner":[-20037508.3427892,-20037508.3427892],"upperCorner":[20037508.3427892,20037508.3427892]},
             "tileMatrix":[{"type":"TileMatrixType","identifier":"0","scaleDenominator":559082264.0287178,"topLeftCorner":[-20037508.3427892,20037508.3427892],
                            "tileWidth":256,"tileHeight":256,"matrixWidth":1,"matrixHeight":1}]}
            """)!.AsObject();
        var tms = Registry.FromJson(v1);
        Assert.Equal("GoogleLike", tms.Id);
        Assertions.Relative(156543.03392804097, tms.TileMatrices[0].CellSize);
        Assert.Equal(new Extent(-20037508.3427892, -20037508.3427892, 20037508.3427892, 20037508.3427892), tms.BoundingBox);
        Assert.Equal("0", (string?)tms.Json["tileMatrices"]![0]!["id"]);
        Assertions.Extent(new Extent(-HalfWorld, -HalfWorld, HalfWorld, HalfWorld), tms.TileBounds(tms.TileMatrices[0], 0, 0), 1e-9 * HalfWorld);
    }

    [Fact]
    public void Unresolvable_crs_and_bad_definitions_are_skipped_with_a_reason()
    {
        var custom = new[]
        {
            JsonNode.Parse("""{"id":"Broken","crs":"http://www.opengis.net/def/crs/EPSG/0/3857","tileMatrices":[{"id":"0","scaleDenominator":"x"}]}""")!.AsObject(),
            JsonNode.Parse("""{"id":"Custom4326","crs":{"uri":"http://www.opengis.net/def/crs/EPSG/0/4326"},"orderedAxes":["Lat","Lon"],"boundingBox":{"lowerLeft":[-10,100],"upperRight":[10,120]},"tileMatrices":[{"id":"a","scaleDenominator":1,"cellSize":1,"pointOfOrigin":[10,100],"tileWidth":10,"tileHeight":10,"matrixWidth":2,"matrixHeight":2}]}""")!.AsObject(),
        };
        var reg = new TileMatrixSetRegistry(n => n.ToJsonString().Contains("3978", StringComparison.Ordinal) ? throw new CrsException("EPSG:3978 unknown") : TestCrs.Resolve(n), custom);
        Assert.False(reg.TryGet("CanadianNAD83_LCC", out _));
        Assert.Contains(reg.Skipped, kv => kv.Key.Contains("CanadianNAD83_LCC", StringComparison.Ordinal) && kv.Value.Contains("3978", StringComparison.Ordinal));
        Assert.Contains(reg.Skipped, kv => kv.Value.Contains("scaleDenominator", StringComparison.Ordinal));
        Assert.True(reg.TryGet("custom4326", out var c));
        Assert.Equal(new Extent(100, -10, 120, 10), c.BoundingBox);
        Assertions.Extent(new Extent(110, -10, 120, 0), c.TileBounds(c.TileMatrices[0], 1, 1), 1e-12);
        Assert.Equal(70, reg.All.Count);
    }
}
