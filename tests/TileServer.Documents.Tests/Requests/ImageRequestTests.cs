using Microsoft.Extensions.Primitives;
using TileServer.Documents.Requests;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Requests;

public class ImageRequestTests
{
    private static RequestParameters Query(params (string Name, string Value)[] parameters)
        => new(parameters.Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value)));

    [Fact]
    public void TileJson_takes_a_tile_format_and_scale_beside_the_tile_parameters()
    {
        var r = TileJsonRequest.Parse(Query(("tile_format", "webp"), ("tile_scale", "2"), ("rescale", "0,1")), 1024);
        Assert.Equal((ImageFormat.Webp, 2, "@2x"), (r.Format, r.Scale, r.ScaleSuffix));
        Assert.Equal("rescale=0%2C1", r.Query.Normalized());
        var defaults = TileJsonRequest.Parse(RequestParameters.Empty, 1024);
        Assert.Equal((ImageFormat.Png, 1, ""), (defaults.Format, defaults.Scale, defaults.ScaleSuffix));
    }

    [Theory]
    [InlineData("tile_format", "gif")]
    [InlineData("tile_scale", "5")]
    [InlineData("tile_scale", "-1")]
    public void TileJson_refuses_other_formats_and_scales(string name, string value)
        => Assert.Equal(name, Assert.Throws<BadRequestException>(() => TileJsonRequest.Parse(Query((name, value)), 1024)).Parameter);

    [Fact]
    public void A_preview_is_at_most_the_configured_size_which_is_also_its_default()
    {
        Assert.Equal(512, ViewerRequests.PreviewMaxSize(RequestParameters.Empty, 512));
        Assert.Equal(100, ViewerRequests.PreviewMaxSize(Query(("max_size", "100")), 512));
        Assert.Equal("max_size", Assert.Throws<BadRequestException>(() => ViewerRequests.PreviewMaxSize(Query(("max_size", "513")), 512)).Parameter);
    }

    [Fact]
    public void Preview_and_legend_formats_outside_theirs_are_not_found()
    {
        Assert.Equal(ImageFormat.Jpeg, ViewerRequests.PreviewFormat("jpg"));
        Assert.Throws<NotFoundException>(() => ViewerRequests.PreviewFormat("npy"));
        Assert.True(ViewerRequests.IsPngLegend("PNG"));
        Assert.False(ViewerRequests.IsPngLegend("json"));
        Assert.Throws<NotFoundException>(() => ViewerRequests.IsPngLegend("svg"));
    }
}
