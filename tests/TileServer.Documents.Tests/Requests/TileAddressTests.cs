using TileServer.Documents.Requests;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Requests;

public class TileAddressTests
{
    [Theory]
    [InlineData("3.png", 3, 1, ImageFormat.Png)]
    [InlineData("3@2x.webp", 3, 2, ImageFormat.Webp)]
    [InlineData("12.npy", 12, 1, ImageFormat.Npy)]
    public void The_last_segment_gives_row_scale_and_format(string segment, long y, int scale, ImageFormat format)
        => Assert.Equal(new TileAddress(y, scale, format), TileAddress.Parse(segment));

    [Theory]
    [InlineData("3", "y")]
    [InlineData("3@5x.png", "y")]
    [InlineData("3.gif", "format")]
    public void A_malformed_segment_is_a_400_naming_the_part(string segment, string parameter)
        => Assert.Equal(parameter, Assert.Throws<BadRequestException>(() => TileAddress.Parse(segment)).Parameter);

    [Fact]
    public void A_tile_outside_its_matrix_is_not_found()
    {
        var sets = new Tiling.DatasetTileMatrixSets(new Tiling.TileMatrixSetRegistry(new Crs.CrsRegistry()), []);
        var (tms, matrix, col, row) = TileAddress.Resolve(sets, "WebMercatorQuad", "1", "1", 0);
        Assert.Equal(("WebMercatorQuad", "1", 1L, 0L), (tms.Id, matrix.Id, col, row));
        Assert.Throws<NotFoundException>(() => TileAddress.Resolve(sets, "WebMercatorQuad", "1", "2", 0));
        Assert.Throws<NotFoundException>(() => TileAddress.Resolve(sets, "NoSuchSet", "1", "0", 0));
        Assert.Equal("z", Assert.Throws<BadRequestException>(() => TileAddress.Resolve(sets, "WebMercatorQuad", "one", "0", 0)).Parameter);
    }
}
