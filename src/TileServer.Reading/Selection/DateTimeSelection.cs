using TileServer.GeoZarr;

namespace TileServer.Reading.Selection;

/// <summary>
/// The OGC API <c>datetime</c> parameter as a <c>sel</c> on the time dimension: an instant picks the nearest time,
/// an interval (<c>start/end</c>, <c>..</c> for an open end) the latest time inside it. A pure function.
/// </summary>
public static class DateTimeSelection
{
    /// <summary>The request with the time selection <paramref name="datetime"/> stands for; unchanged when it is empty.</summary>
    public static ReadRequest Apply(ReadRequest request, DatasetReader reader, string? datetime)
    {
        if (string.IsNullOrWhiteSpace(datetime))
        {
            return request;
        }

        var ds = reader.Dataset;
        string variableName = request.Variables.Count > 0 ? request.Variables[0] : reader.DefaultVariable;
        var time = ds.FindVariable(variableName)?.OtherDimensions.FirstOrDefault(d => d.IsTime && d.Time is not null && d.Values is { Count: > 0 } && d.Labels is not null)
            ?? throw new BadRequestException("datetime", $"Variable '{variableName}' of dataset '{reader.Id}' has no time dimension to select with datetime.");
        if (request.Selections.Any(s => s.Dimension == time.Name))
        {
            throw new BadRequestException("datetime", $"Give either datetime or sel={time.Name}=..., not both.");
        }

        var values = time.Values!;
        int index;
        string text = datetime.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            double target = Parse(time.Time!, text);
            index = 0;
            for (int i = 1; i < values.Count; i++)
            {
                if (Math.Abs(values[i] - target) < Math.Abs(values[index] - target))
                {
                    index = i;
                }
            }
        }
        else
        {
            string startText = text[..slash].Trim(), endText = text[(slash + 1)..].Trim();
            double start = startText is "" or ".." ? double.NegativeInfinity : Parse(time.Time!, startText);
            double end = endText is "" or ".." ? double.PositiveInfinity : Parse(time.Time!, endText);
            if (start > end)
            {
                throw new BadRequestException("datetime", $"The interval '{text}' ends before it starts.");
            }

            index = -1;
            for (int i = 0; i < values.Count; i++)
            {
                if (values[i] >= start && values[i] <= end && (index < 0 || values[i] > values[index]))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                throw new NotFoundException("No data at that time", $"No time of dataset '{reader.Id}' lies in '{text}' (times run from {time.Labels![0]} to {time.Labels[^1]}).", "datetime");
            }
        }

        return request with { Selections = [.. request.Selections, new DimensionSelection(time.Name, time.Labels![index])] };
    }

    private static double Parse(CfTime time, string text)
        => time.FromIso(text) ?? throw new BadRequestException("datetime", $"'{text}' is not an RFC 3339 date-time (e.g. 2018-02-12T23:20:50Z), nor an interval start/end with '..' for an open end.");
}
