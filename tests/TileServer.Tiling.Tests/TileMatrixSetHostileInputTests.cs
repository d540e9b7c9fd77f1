using System.Text.Json.Nodes;

namespace TileServer.Tiling.Tests;

/// <summary>
/// TileMatrixSet documents a dataset may declare inline that are JSON but no usable set: each is a
/// <see cref="TileMatrixSetException"/> naming the member at fault, never an exception of the JSON library or a
/// size that overflows where tiles are drawn.
/// </summary>
public sealed class TileMatrixSetHostileInputTests
{
    private static readonly TileMatrixSetRegistry Registry = TestCrs.Registry();

    private static string Matrix(string tileWidth = "256", string coalesce = "") =>
        $$"""{"id": "0", "scaleDenominator": 1, "cellSize": 1, "pointOfOrigin": [0, 0], "tileWidth": {{tileWidth}}, "tileHeight": 256, "matrixWidth": 2, "matrixHeight": 2{{coalesce}}}""";

    [Theory]
    [InlineData("""{"id": "T", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "orderedAxes": [1, 2], "tileMatrices": [MATRIX]}""", "orderedAxes must be names")]
    [InlineData("""{"id": "T", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "tileMatrices": [WIDE]}""", "tileWidth must be between 1 and 16384, got 10000000000")]
    [InlineData("""{"id": "T", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "tileMatrices": [COALESCE]}""", "coalesce must be between 1 and 2147483647, got 0")]
    [InlineData("""{"id": "T", "id": "U", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "tileMatrices": [MATRIX]}""", "same key")]
    [InlineData("""{"id": "T", "crs": {"wkt": 5}, "tileMatrices": [MATRIX]}""", "cannot be resolved")]
    public void Unusable_sets_are_a_tile_matrix_set_error(string template, string expected)
    {
        string json = template
            .Replace("MATRIX", Matrix(), StringComparison.Ordinal)
            .Replace("WIDE", Matrix(tileWidth: "10000000000"), StringComparison.Ordinal)
            .Replace("COALESCE", Matrix(coalesce: """, "variableMatrixWidths": [{"coalesce": 0, "minTileRow": 0, "maxTileRow": 0}]"""), StringComparison.Ordinal);

        // Parsed leniently, as a caller holding the dataset's attributes may have: duplicate members survive to the parser.
        var doc = JsonNode.Parse(json)!.AsObject();
        var ex = Assert.Throws<TileMatrixSetException>(() => Registry.FromJson(doc));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
