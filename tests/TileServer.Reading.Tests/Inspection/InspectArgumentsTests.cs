using TileServer.Reading.Inspection;

namespace TileServer.Reading.Tests.Inspection;

public class InspectArgumentsTests
{
    [Fact]
    public void A_path_with_options_and_configuration_overrides()
    {
        var parsed = InspectArguments.Parse(["--json", "store.zarr", "--ref", "tag:v1", "--values", "time", "--TileServer:Stores:x=y"], out string error);
        Assert.NotNull(parsed);
        Assert.Equal("", error);
        Assert.Equal(("store.zarr", "tag:v1", true, "time"), (parsed.Path, parsed.Ref, parsed.Json, parsed.ValuesOf));
        Assert.Equal(["--TileServer:Stores:x=y"], parsed.Configuration);
        Assert.Equal(("store.zarr", "tag:v1", "time"), (parsed.Request.Path, parsed.Request.Ref, parsed.Request.ValuesOf));
    }

    [Theory]
    [InlineData(new string[0], "no PATH given")]
    [InlineData(new[] { "a.zarr", "--ref" }, "--ref needs a value")]
    [InlineData(new[] { "a.zarr", "b.zarr" }, "unexpected argument 'b.zarr'")]
    [InlineData(new[] { "-x", "a.zarr" }, "unexpected argument '-x'")]
    public void A_malformed_command_line_says_what_is_wrong(string[] args, string message)
    {
        Assert.Null(InspectArguments.Parse(args, out string error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Help_says_what_the_command_does()
    {
        Assert.Null(InspectArguments.Parse(["--help"], out string error));
        Assert.StartsWith("inspect: ", error, StringComparison.Ordinal);
    }
}
