using System.Globalization;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace TileServer.Rendering;

/// <summary>What a legend shows: the value range, the colors across it and the units.</summary>
public sealed record LegendSpec(string Variable, string? LongName, string? Units, ValueRange Range, IColormap Colormap)
{
    /// <summary>Labelled positions along the bar (0 = left end, 1 = right end).</summary>
    public IReadOnlyList<(double Position, double Value, string Label)> Ticks
    {
        get
        {
            if (Colormap is IntervalColormap intervals)
            {
                var classes = intervals.Intervals;
                return [(0, classes[0].Min, Format(classes[0].Min)), (1, classes[^1].Max, Format(classes[^1].Max))];
            }

            double mid = (Range.Min + Range.Max) / 2;
            return [(0, Range.Min, Format(Range.Min)), (0.5, mid, Format(mid)), (1, Range.Max, Format(Range.Max))];
        }
    }

    public static string Format(double v) => Math.Abs(v) is >= 1e5 or (< 1e-3 and > 0) ? v.ToString("G3", CultureInfo.InvariantCulture) : Math.Round(v, 3).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Color at a position of the bar: the 256-entry table by rescaled value, or the interval classes side by side.</summary>
    public RgbaColor ColorAt(double position)
    {
        if (Colormap is IntervalColormap intervals)
        {
            int i = Math.Clamp((int)(position * intervals.Intervals.Count), 0, intervals.Intervals.Count - 1);
            return intervals.Intervals[i].Color;
        }

        var table = (TileServer.Rendering.Colormap)Colormap;
        const int size = TileServer.Rendering.Colormap.Size;
        return table[Math.Clamp((int)Math.Round(position * (size - 1)), 0, size - 1)];
    }
}

/// <summary>
/// Draws legends (horizontal color bar, ticks, min/max labels and units) and colormap bars with SkiaSharp.
/// Text needs a font: the default typeface, else a common system font file; on a machine with none the image has
/// tick marks only and the labels are in legend.json.
/// </summary>
public sealed class LegendRenderer : IDisposable
{
    private const int Width = 300, Margin = 12, BarTop = 6, BarHeight = 18, TickLength = 5;
    private static readonly string[] FallbackFonts =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
    ];

    private readonly SKTypeface? _typeface;
    private readonly bool _ownsTypeface;

    public LegendRenderer()
    {
        (_typeface, _ownsTypeface) = FindTypeface();
    }

    /// <summary>True when labels can be drawn into the image.</summary>
    public bool HasFont => _typeface is not null;

    /// <summary>Pixel size of <see cref="RenderPng"/>'s image (shorter without a font: no labels).</summary>
    public (int Width, int Height) PngSize => (Width, HasFont ? 48 : BarTop + BarHeight + TickLength + 4);

    public byte[] RenderPng(LegendSpec spec)
    {
        int height = PngSize.Height;
        using var surface = SKSurface.Create(new SKImageInfo(Width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(255, 255, 255, 230));
        int barWidth = Width - (2 * Margin);
        using (var paint = new SKPaint { IsAntialias = false })
        {
            for (int x = 0; x < barWidth; x++)
            {
                var c = spec.ColorAt(barWidth == 1 ? 0 : x / (double)(barWidth - 1));
                paint.Color = new SKColor(c.R, c.G, c.B, c.A);
                canvas.DrawRect(Margin + x, BarTop, 1, BarHeight, paint);
            }
        }

        using var ink = new SKPaint { Color = new SKColor(30, 30, 30), IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(Margin - 0.5f, BarTop - 0.5f, barWidth + 1, BarHeight + 1, ink);
        foreach (var (position, _, _) in spec.Ticks)
        {
            float x = Margin + (float)(position * (barWidth - 1)) + 0.5f;
            canvas.DrawLine(x, BarTop + BarHeight, x, BarTop + BarHeight + TickLength, ink);
        }

        if (_typeface is not null)
        {
            using var font = new SKFont(_typeface, 12);
            using var text = new SKPaint { Color = new SKColor(30, 30, 30), IsAntialias = true };
            float baseline = BarTop + BarHeight + TickLength + 13;
            var ticks = spec.Ticks;
            canvas.DrawText(ticks[0].Label, Margin, baseline, SKTextAlign.Left, font, text);
            canvas.DrawText(ticks[^1].Label, Width - Margin, baseline, SKTextAlign.Right, font, text);
            string middle = spec.Units is { Length: > 0 } u ? u : ticks.Count > 2 ? ticks[1].Label : "";
            if (spec.Units is { Length: > 0 } && ticks.Count > 2)
            {
                middle = ticks[1].Label + " " + spec.Units;
            }

            canvas.DrawText(middle, Width / 2f, baseline, SKTextAlign.Center, font, text);
        }

        return Encode(surface);
    }

    /// <summary>
    /// An image of the given size and background carrying a message (WMS <c>EXCEPTIONS=INIMAGE</c>), the text
    /// wrapped to the width; without a font, or with <paramref name="message"/> null, just the background.
    /// </summary>
    public byte[] RenderMessage(int width, int height, string? message, RgbaColor background, ImageFormat format)
    {
        if (width is < 1 or > TileRenderer.MaxDimension || height is < 1 or > TileRenderer.MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width} x {height} is outside 1..{TileRenderer.MaxDimension} per side");
        }

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(background.R, background.G, background.B, background.A));
        if (_typeface is not null && message is { Length: > 0 })
        {
            using var font = new SKFont(_typeface, 12);
            using var ink = new SKPaint { Color = new SKColor(200, 0, 0), IsAntialias = true };
            float y = 16;
            foreach (var line in Wrap(message, font, width - (2f * 4)))
            {
                if (y > height)
                {
                    break;
                }

                canvas.DrawText(line, 4, y, SKTextAlign.Left, font, ink);
                y += 15;
            }
        }

        using var image = surface.Snapshot();
        using var data = format switch
        {
            ImageFormat.Jpeg => image.Encode(SKEncodedImageFormat.Jpeg, 85),
            ImageFormat.Webp => image.Encode(SKEncodedImageFormat.Webp, 100),
            ImageFormat.Png => image.Encode(SKEncodedImageFormat.Png, 100),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a message image is PNG, WebP or JPEG"),
        };
        return data.ToArray();
    }

    private static List<string> Wrap(string text, SKFont font, float maxWidth)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > maxWidth)
            {
                lines.Add(line.ToString());
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>A plain bar of a 256-color table (for <c>/colorMaps/{name}?format=png</c>).</summary>
    public static byte[] RenderColormapPng(Colormap colormap, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var paint = new SKPaint { IsAntialias = false };
        for (int x = 0; x < width; x++)
        {
            var c = colormap[width == 1 ? 0 : (int)Math.Round(x * (Colormap.Size - 1) / (double)(width - 1))];
            paint.Color = new SKColor(c.R, c.G, c.B, c.A);
            surface.Canvas.DrawRect(x, 0, 1, height, paint);
        }

        return Encode(surface);
    }

    public static JsonObject Describe(LegendSpec spec)
    {
        var o = new JsonObject
        {
            ["variable"] = spec.Variable,
            ["long_name"] = spec.LongName,
            ["units"] = spec.Units,
            ["min"] = spec.Range.Min,
            ["max"] = spec.Range.Max,
            ["colormap_name"] = spec.Colormap.Name,
        };
        if (spec.Colormap is IntervalColormap intervals)
        {
            o["classes"] = new JsonArray(intervals.Intervals.Select(c => (JsonNode)new JsonObject
            {
                ["min"] = c.Min,
                ["max"] = c.Max,
                ["color"] = Hex(c.Color),
                ["label"] = c.Label,
            }).ToArray());
        }
        else
        {
            var table = (Colormap)spec.Colormap;
            o["colors"] = new JsonArray(Enumerable.Range(0, Colormap.Size).Select(i => (JsonNode)Hex(table[i])).ToArray());
        }

        o["ticks"] = new JsonArray(spec.Ticks.Select(t => (JsonNode)new JsonObject { ["position"] = t.Position, ["value"] = t.Value, ["label"] = t.Label }).ToArray());
        return o;
    }

    public static string Hex(RgbaColor c) => c.A == 255
        ? string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}")
        : string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}{c.A:x2}");

    private static byte[] Encode(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static (SKTypeface? Typeface, bool Owned) FindTypeface()
    {
        var typeface = SKTypeface.Default;
        if (typeface is not null && typeface.GlyphCount > 0)
        {
            return (typeface, false);
        }

        foreach (var path in FallbackFonts)
        {
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } fromFile)
            {
                if (fromFile.GlyphCount > 0)
                {
                    return (fromFile, true);
                }

                fromFile.Dispose();
            }
        }

        return (null, false);
    }

    public void Dispose()
    {
        if (_ownsTypeface)
        {
            _typeface?.Dispose();
        }
    }
}
