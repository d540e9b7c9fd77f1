using System.Globalization;
using TileServer.Rendering;

namespace TileServer.Documents.Requests;

/// <summary>The parameters of the viewer's routes beyond the tile parameters: preview and legend formats, preview size.</summary>
public static class ViewerRequests
{
    /// <summary>A preview's format (the path's extension): png, webp or jpg; anything else is not a resource here (404).</summary>
    public static ImageFormat PreviewFormat(string format)
        => ImageFormats.TryParse(format, out var imageFormat) && imageFormat != ImageFormat.Npy
            ? imageFormat
            : throw new NotFoundException("Unknown preview format", $"Preview format '{format}' is not one of png, webp, jpg.", "format");

    /// <summary><c>max_size</c>, the preview's longest edge: 1..<paramref name="limit"/>, the limit when absent.</summary>
    public static int PreviewMaxSize(RequestParameters query, int limit)
    {
        int maxSize = limit;
        if (query.First("max_size") is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxSize) || maxSize < 1 || maxSize > limit))
        {
            throw new BadRequestException("max_size", $"max_size must be an integer between 1 and {limit}, not '{text}'.");
        }

        return maxSize;
    }

    /// <summary>A legend's format (the path's extension): true for png, false for json; anything else is not a resource here (404).</summary>
    public static bool IsPngLegend(string format)
    {
        bool png = format.Equals("png", StringComparison.OrdinalIgnoreCase);
        return png || format.Equals("json", StringComparison.OrdinalIgnoreCase)
            ? png
            : throw new NotFoundException("Unknown legend format", $"Legend format '{format}' is not png or json.", "format");
    }
}
