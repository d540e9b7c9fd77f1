using Microsoft.Extensions.Options;
using TileServer.Reading.Raster;

namespace TileServer.Documents.Wms;

/// <summary>
/// <c>TileServer:Wms</c>: the largest GetMap a client may ask for (advertised as the capabilities' MaxWidth and
/// MaxHeight; larger requests are refused). Styles are shared with WMTS (<c>TileServer:Wmts:Styles</c>).
/// </summary>
public sealed record WmsOptions
{
    public const string SectionName = "TileServer:Wms";

    public int MaxWidth { get; init; } = 4096;

    public int MaxHeight { get; init; } = 4096;

    public IEnumerable<string> Validate()
    {
        if (MaxWidth is < 1 or > RasterReader.MaxEdge)
        {
            yield return $"{SectionName}:MaxWidth must be between 1 and {RasterReader.MaxEdge}, not {MaxWidth}";
        }

        if (MaxHeight is < 1 or > RasterReader.MaxEdge)
        {
            yield return $"{SectionName}:MaxHeight must be between 1 and {RasterReader.MaxEdge}, not {MaxHeight}";
        }
    }
}

/// <summary>Checks <see cref="WmsOptions"/> at startup, every problem at once.</summary>
public sealed class WmsOptionsValidator : IValidateOptions<WmsOptions>
{
    public ValidateOptionsResult Validate(string? name, WmsOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
