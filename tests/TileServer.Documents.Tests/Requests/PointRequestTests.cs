using Microsoft.Extensions.Primitives;
using TileServer.Documents.Requests;

namespace TileServer.Documents.Tests.Requests;

public class PointRequestTests
{
    private static RequestParameters Query(string query)
        => new(query.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, StringValues>(p[0], p[1])));

    [Fact]
    public void Lon_lat_and_the_data_selecting_parameters_make_the_request()
    {
        var (lon, lat, request) = PointRequest.Parse(Query("lon=-3.5&lat=40&variable=sst&sel=time=2020-01-01"), 1024);
        Assert.Equal((-3.5, 40.0), (lon, lat));
        Assert.Equal(["sst"], request.Variables);
        Assert.Single(request.Selections);
    }

    [Theory]
    [InlineData("lat=40", "lon")]
    [InlineData("lon=0&lat=91", "lat")]
    [InlineData("lon=east&lat=0", "lon")]
    [InlineData("lon=0&lat=nan", "lat")]
    public void A_missing_or_bad_coordinate_is_a_400_naming_it(string query, string parameter)
        => Assert.Equal(parameter, Assert.Throws<BadRequestException>(() => PointRequest.Parse(Query(query), 1024)).Parameter);
}
