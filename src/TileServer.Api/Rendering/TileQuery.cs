using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using TileServer.Reading;
using TileServer.Reading.Expressions;
using TileServer.Reading.Selection;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Rendering;

/// <summary>
/// The rendering parameters of a tile request (TiTiler names), parsed and validated once. <see cref="Normalized"/>
/// gives a canonical query string so that equivalent URLs share ETags and CDN entries.
/// </summary>
public sealed record TileQuery
{
    public IReadOnlyList<string> Variables { get; init; } = [];
    public IReadOnlyList<DimensionSelection> Selections { get; init; } = [];
    public bool SelectNearest { get; init; }
    public IReadOnlyList<int> Bidx { get; init; } = [];
    public IReadOnlyList<ValueRange> Rescale { get; init; } = [];
    public string? ColormapName { get; init; }
    public string? ColormapJson { get; init; }
    public double? Nodata { get; init; }
    public ResamplingMethod? Resampling { get; init; }
    public bool ReturnMask { get; init; } = true;
    public int? TileSize { get; init; }
    public int? Quality { get; init; }
    public BandExpression? Expression { get; init; }

    public static readonly string[] KnownParameters =
        ["variable", "sel", "sel_method", "bidx", "rescale", "colormap_name", "colormap", "nodata", "resampling", "return_mask", "tilesize", "quality", "expression"];

    public static TileQuery Parse(IQueryCollection query, int maxTileSize)
    {
        var q = new TileQuery
        {
            Variables = Values(query, "variable").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
            Selections = Values(query, "sel").Select(ParseSelection).ToArray(),
            SelectNearest = Single(query, "sel_method") switch
            {
                null or "" or "exact" => false,
                "nearest" => true,
                var other => throw new BadRequestException("sel_method", $"sel_method must be 'nearest' or 'exact', not '{other}'."),
            },
            Bidx = Values(query, "bidx").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(ParseBand).ToArray(),
            Rescale = Values(query, "rescale").Select(r => ParseRange(r, "rescale")).ToArray(),
            ColormapName = Single(query, "colormap_name") is { Length: > 0 } cm ? cm : null,
            ColormapJson = Single(query, "colormap") is { Length: > 0 } cj ? cj : null,
            Nodata = Single(query, "nodata") is { Length: > 0 } nd ? ParseNodata(nd) : null,
            Resampling = Single(query, "resampling") is { Length: > 0 } rs ? ParseResampling(rs) : null,
            ReturnMask = Single(query, "return_mask") is { Length: > 0 } rm ? ParseBool(rm, "return_mask") : true,
            TileSize = Single(query, "tilesize") is { Length: > 0 } ts ? ParseTileSize(ts, maxTileSize) : null,
            Quality = Single(query, "quality") is { Length: > 0 } ql ? ParseInt(ql, "quality", 1, 100) : null,
            Expression = Single(query, "expression") is { Length: > 0 } ex ? BandExpression.Parse(ex) : null,
        };
        if (q.Expression is not null && q.Bidx.Count > 0)
        {
            throw new BadRequestException("bidx", "Give either bidx or an expression (whose b1..bN name the bands), not both.");
        }

        if (q.ColormapName is not null && q.ColormapJson is not null)
        {
            throw new BadRequestException("colormap", "Give either colormap_name or colormap, not both.");
        }

        return q;
    }

    /// <summary>What to read: the data-selecting part of the query.</summary>
    public ReadRequest ToReadRequest() => new()
    {
        Variables = Variables,
        Selections = Selections,
        SelectNearest = SelectNearest,
        Bidx = Bidx,
        Resampling = Resampling,
        Nodata = Nodata,
        Expression = Expression,
    };

    /// <summary>The query with OGC API's <c>datetime</c> turned into a selection of the time dimension.</summary>
    public TileQuery WithDateTime(DatasetReader reader, string? datetime)
        => string.IsNullOrWhiteSpace(datetime) ? this : this with { Selections = DateTimeSelection.Apply(ToReadRequest(), reader, datetime).Selections };

    /// <summary>Canonical query string (sorted keys, normalised values, defaults omitted), without the leading '?'.</summary>
    public string Normalized()
    {
        var parts = new List<string>();
        void Add(string key, string value) => parts.Add(key + "=" + Uri.EscapeDataString(value));
        foreach (var v in Variables)
        {
            Add("variable", v);
        }

        foreach (var (dim, value) in Selections.OrderBy(s => s.Dimension, StringComparer.Ordinal))
        {
            Add("sel", dim + "=" + value);
        }

        if (SelectNearest)
        {
            Add("sel_method", "nearest");
        }

        if (Bidx.Count > 0)
        {
            Add("bidx", string.Join(",", Bidx));
        }

        foreach (var r in Rescale)
        {
            Add("rescale", Fmt(r.Min) + "," + Fmt(r.Max));
        }

        if (ColormapName is not null)
        {
            Add("colormap_name", ColormapName.ToLowerInvariant());
        }

        if (ColormapJson is not null)
        {
            Add("colormap", ColormapJson);
        }

        if (Nodata is { } nd)
        {
            Add("nodata", Fmt(nd));
        }

        if (Resampling is { } rs)
        {
            Add("resampling", rs.ToString().ToLowerInvariant());
        }

        if (!ReturnMask)
        {
            Add("return_mask", "false");
        }

        if (TileSize is { } size)
        {
            Add("tilesize", size.ToString(CultureInfo.InvariantCulture));
        }

        if (Expression is { } expression)
        {
            Add("expression", expression.Canonical);
        }

        if (Quality is { } quality)
        {
            Add("quality", quality.ToString(CultureInfo.InvariantCulture));
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join("&", parts);
    }

    private static string Fmt(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Values(IQueryCollection query, string key)
        => query.TryGetValue(key, out StringValues values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!) : [];

    private static string? Single(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new BadRequestException(key, $"'{key}' may be given only once.");
        }

        return values[0]?.Trim();
    }

    private static DimensionSelection ParseSelection(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new BadRequestException("sel", $"sel must look like 'dimension=value' (e.g. sel=time=2020-01-01), not '{text}'.");
        }

        return new DimensionSelection(text[..eq].Trim(), text[(eq + 1)..].Trim());
    }

    private static int ParseBand(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1 && b <= 65536
            ? b
            : throw new BadRequestException("bidx", $"bidx must be 1-based band numbers separated by commas, not '{text}'.");

    public static ValueRange ParseRange(string text, string parameter)
        => Stretch.TryParse(text, out var range)
            ? new ValueRange(range.Min, range.Max)
            : throw new BadRequestException(parameter, $"{parameter} must be 'min,max' with finite numbers and min < max, not '{text}'.");

    /// <summary>The <c>colormap</c> parameter's JSON: a colormap, or the client's mistake named.</summary>
    public static IColormap ParseColormap(string json)
    {
        try
        {
            return Colormap.ParseJson(json);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new BadRequestException("colormap", "colormap is not a valid colormap: " + ex.Message);
        }
    }

    private static double ParseNodata(string text)
        => text.Equals("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
            : throw new BadRequestException("nodata", $"nodata must be a number or 'nan', not '{text}'.");

    public static ResamplingMethod ParseResampling(string text)
        => ResamplingMethods.TryParse(text, out var method)
            ? method
            : throw new BadRequestException("resampling", $"resampling must be one of {string.Join(", ", ResamplingMethods.Names)}; not '{text}'.");

    private static bool ParseBool(string text, string parameter) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new BadRequestException(parameter, $"{parameter} must be true or false, not '{text}'."),
    };

    private static int ParseTileSize(string text, int max)
    {
        int size = ParseInt(text, "tilesize", 1, int.MaxValue);
        if (size < 64 || size > max)
        {
            throw new BadRequestException("tilesize", $"tilesize must be between 64 and {max}, not {size}.");
        }

        return size;
    }

    private static int ParseInt(string text, string parameter, int min, int max)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new BadRequestException(parameter, $"{parameter} must be an integer between {min} and {max}, not '{text}'.");

    public override string ToString()
    {
        var sb = new StringBuilder("TileQuery(");
        sb.Append(Normalized()).Append(')');
        return sb.ToString();
    }
}
