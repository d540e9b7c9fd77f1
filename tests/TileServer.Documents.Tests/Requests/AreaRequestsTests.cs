using Microsoft.Extensions.Primitives;
using TileServer.Crs;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Reading.Areas;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Requests;

public class AreaRequestsTests
{
    private static readonly AreaRequests Requests = new(new CrsRegistry(), new ReaderOptions());

    private static RequestParameters Query(params (string Name, string Value)[] parameters)
        => new(parameters.Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value)));

    [Fact]
    public void Without_size_or_dst_crs_an_image_is_of_the_datas_own_cells()
    {
        var image = Requests.Image(Query(("rescale", "0,1")), null, ImageFormat.Webp);
        Assert.Equal((ImageFormat.Webp, (CrsInfo?)null, ((int, int)?)null), (image.Format, image.DstCrs, image.Size));
    }

    [Fact]
    public void The_size_segment_gives_the_grid_and_its_format_wins()
    {
        var image = Requests.Image(Query(("dst_crs", "EPSG:3857")), "300x200.jpg", ImageFormat.Png);
        Assert.Equal((ImageFormat.Jpeg, (300, 200)), (image.Format, image.Size!.Value));
        Assert.Equal("EPSG:3857", image.DstCrs!.Code);
    }

    [Theory]
    [InlineData("dst_crs", "GEOGCS[\"x\"]", "dst_crs")]
    [InlineData("coord_crs", "EPSG:999999", "coord_crs")]
    [InlineData("rescal", "0,1", "rescal")]
    public void Bad_area_parameters_are_400s_naming_them(string name, string value, string parameter)
        => Assert.Equal(parameter, Assert.Throws<BadRequestException>(() =>
        {
            var query = Query((name, value));
            Requests.CoordinateCrs(query);
            Requests.Image(query, null, ImageFormat.Png);
        }).Parameter);

    [Fact]
    public void Coordinates_are_lon_lat_unless_coord_crs_says_otherwise()
    {
        Assert.Equal("EPSG:4326", Requests.CoordinateCrs(RequestParameters.Empty).Code);
        Assert.Equal("EPSG:32633", Requests.CoordinateCrs(Query(("coord_crs", "EPSG:32633"))).Code);
    }

    [Theory]
    [InlineData("1,2,3,4.png", "1,2,3,4", ImageFormat.Png)]
    [InlineData("256x256.npy", "256x256", ImageFormat.Npy)]
    public void A_segment_splits_into_name_and_format(string segment, string name, ImageFormat format)
        => Assert.Equal((name, format), AreaRequests.SplitFormat(segment));

    [Fact]
    public void A_segment_without_a_known_format_is_not_found()
        => Assert.Throws<NotFoundException>(() => AreaRequests.SplitFormat("1,2,3,4.tif"));

    [Fact]
    public void Box_statistics_answer_with_the_box_as_one_polygon_feature()
    {
        var box = new Extent(0, 1, 2, 3);
        var areas = AreaRequests.BoxFeatures(box, AreaGeometry.FromBox(box, new CrsRegistry().FromCode("EPSG:4326")));
        var feature = areas.FeatureCollection["features"]![0]!;
        Assert.Equal("[0,1,2,3]", feature["bbox"]!.ToJsonString());
        Assert.Equal("[[[0,1],[2,1],[2,3],[0,3],[0,1]]]", feature["geometry"]!["coordinates"]!.ToJsonString());
        Assert.Single(areas.Geometries);
    }
}
