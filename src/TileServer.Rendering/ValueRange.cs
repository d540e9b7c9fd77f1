namespace TileServer.Rendering;

/// <summary>A linear rescale range: <see cref="Min"/> maps to 0 and <see cref="Max"/> to 255 (TiTiler's <c>rescale=min,max</c>).</summary>
public readonly record struct ValueRange(double Min, double Max)
{
    /// <summary>Parses "min,max" as TiTiler's <c>rescale</c> parameter does.</summary>
    public static ValueRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0
            || !double.TryParse(text.AsSpan(0, comma), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(text.AsSpan(comma + 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var max))
        {
            throw new FormatException($"rescale '{text}' is not 'min,max' with two numbers");
        }

        var range = new ValueRange(min, max);
        range.Validate();
        return range;
    }

    internal void Validate()
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max))
        {
            throw new ArgumentException($"rescale range [{Min}, {Max}] must have finite bounds");
        }
    }
}
