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

    public byte[] RenderPng(LegendSpec spec)
    {
        int height = HasFont ? 48 : BarTop + BarHeight + TickLength + 4;
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
