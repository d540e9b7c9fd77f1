using Microsoft.Extensions.Primitives;
using TileServer.Documents.Requests;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Requests;

public class TileQueryTests
{
    private static RequestParameters Query(params (string Name, string Value)[] parameters)
        => new(parameters.GroupBy(p => p.Name).Select(g => new KeyValuePair<string, StringValues>(g.Key, g.Select(p => p.Value).ToArray())));

    [Fact]
    public void Equivalent_queries_have_one_normalized_form()
    {
        var a = TileQuery.Parse(Query(("rescale", "0,10"), ("variable", "t2m"), ("colormap_name", "Viridis"), ("return_mask", "true")), 1024);
        var b = TileQuery.Parse(Query(("colormap_name", "viridis"), ("variable", "t2m"), ("rescale", " 0 , 10 ")), 1024);
        Assert.Equal("colormap_name=viridis&rescale=0%2C10&variable=t2m", a.Normalized());
        Assert.Equal(a.Normalized(), b.Normalized());
    }

    [Fact]
    public void Data_selecting_parameters_make_the_read_request()
    {
        var q = TileQuery.Parse(Query(("variable", "u,v"), ("sel", "time=2020-01-01"), ("sel_method", "nearest"), ("nodata", "nan"), ("resampling", "bilinear")), 1024);
        Assert.Equal(["u", "v"], q.Read.Variables);
        Assert.Equal(new Reading.DimensionSelection("time", "2020-01-01"), Assert.Single(q.Read.Selections));
        Assert.True(q.Read.SelectNearest);
        Assert.True(double.IsNaN(q.Read.Nodata!.Value));
        Assert.Equal(Tiling.ResamplingMethod.Bilinear, q.Read.Resampling);
    }

    [Theory]
    [InlineData("bidx", "1", "expression", "b1*2", "bidx")]
    [InlineData("colormap_name", "viridis", "colormap", "{\"0\":\"#000000\"}", "colormap")]
    [InlineData("tilesize", "32", "variable", "t2m", "tilesize")]
    [InlineData("sel", "time", "variable", "t2m", "sel")]
    [InlineData("rescale", "10,0", "variable", "t2m", "rescale")]
    public void A_bad_parameter_is_a_400_naming_it(string name, string value, string other, string otherValue, string named)
    {
        var e = Assert.Throws<BadRequestException>(() => TileQuery.Parse(Query((name, value), (other, otherValue)), 1024));
        Assert.Equal(named, e.Parameter);
    }

    [Fact]
    public void Of_several_bad_parameters_the_first_in_order_is_named()
    {
        var e = Assert.Throws<BadRequestException>(() => TileQuery.Parse(Query(("quality", "0"), ("nodata", "x"), ("rescale", "1")), 1024));
        Assert.Equal("rescale", e.Parameter);
    }

    [Fact]
    public void A_single_valued_parameter_given_twice_is_refused()
    {
        var e = Assert.Throws<BadRequestException>(() => TileQuery.Parse(Query(("nodata", "0"), ("NODATA", "1")), 1024));
        Assert.Equal("nodata", e.Parameter);
    }

    [Fact]
    public void Colormap_json_that_is_not_a_colormap_names_the_parameter()
    {
        var e = Assert.Throws<BadRequestException>(() => TileQuery.ParseColormap("[1,2"));
        Assert.Equal("colormap", e.Parameter);
        Assert.IsAssignableFrom<IColormap>(TileQuery.ParseColormap("{\"0\": [0, 0, 0, 255], \"255\": [255, 255, 255, 255]}"));
    }

    [Fact]
    public void Unknown_parameters_are_named_with_the_closest_known_one()
    {
        var e = Assert.Throws<BadRequestException>(() => Query(("expresion", "b1")).RequireKnown(TileQuery.KnownParameters));
        Assert.Equal("expresion", e.Parameter);
        Assert.Contains("Did you mean 'expression'?", e.Message, StringComparison.Ordinal);
        Query(("RESCALE", "0,1"), ("f", "png")).RequireKnown(TileQuery.KnownParameters, "f");
    }
}
