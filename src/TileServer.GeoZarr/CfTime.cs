using System.Globalization;
using System.Text.RegularExpressions;

namespace TileServer.GeoZarr;

/// <summary>
/// CF time coordinates: <c>units = "&lt;unit&gt; since &lt;reference&gt;"</c> with a calendar. Converts offsets to
/// ISO 8601 labels in the dataset's own calendar (a 360-day "2000-02-30" stays as written).
/// </summary>
public sealed partial class CfTime
{
    private readonly double _unitSeconds;
    private readonly CfCalendar _calendar;
    private readonly long _referenceSeconds; // seconds since 0001-01-01 in the calendar

    /// <summary>Years either side of year 1 that labels are written for; four-digit years are what ISO 8601 agrees on.</summary>
    private const int MaxYears = 10_000;

    private CfTime(double unitSeconds, CfCalendar calendar, long referenceSeconds)
    {
        _unitSeconds = unitSeconds;
        _calendar = calendar;
        _referenceSeconds = referenceSeconds;
    }

    public CfCalendar Calendar => _calendar;

    /// <summary>Parses CF time units and calendar; null when <paramref name="units"/> is not a time unit.</summary>
    public static CfTime? TryCreate(string? units, string? calendar)
    {
        if (string.IsNullOrWhiteSpace(units))
        {
            return null;
        }

        var m = UnitsPattern().Match(units.Trim());
        if (!m.Success)
        {
            return null;
        }

        double unitSeconds = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "day" or "days" or "d" => 86400,
            "hour" or "hours" or "hr" or "hrs" or "h" => 3600,
            "minute" or "minutes" or "min" or "mins" => 60,
            "second" or "seconds" or "sec" or "secs" or "s" => 1,
            "millisecond" or "milliseconds" or "ms" => 1e-3,
            "microsecond" or "microseconds" or "us" => 1e-6,
            _ => double.NaN,
        };
        if (double.IsNaN(unitSeconds))
        {
            return null;
        }

        var cal = ParseCalendar(calendar);
        if (cal is null)
        {
            return null;
        }

        if (DateTimeOf(m, cal.Value) is not { } reference)
        {
            // "days since 2000-13-45": a time unit whose reference is not a date; the values stay plain numbers.
            return null;
        }

        long refSeconds = (DaysFromEpoch(cal.Value, reference.Year, reference.Month, reference.Day) * 86400L) + (reference.Hour * 3600L) + (reference.Minute * 60L) + (long)Math.Round(reference.Second);
        return new CfTime(unitSeconds, cal.Value, refSeconds);
    }

    /// <summary>The date and time a pattern matched (missing parts are the start of their period); null when it is no date of the calendar.</summary>
    private static (int Year, int Month, int Day, int Hour, int Minute, double Second)? DateTimeOf(Match m, CfCalendar calendar)
    {
        static int Part(Match m, string name, int fallback) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;

        int y = Part(m, "y", 1), mo = Part(m, "mo", 1), d = Part(m, "d", 1), h = Part(m, "h", 0), mi = Part(m, "mi", 0);
        double s = m.Groups["s"].Success ? double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (mo is < 1 or > 12 || d < 1 || d > DaysInMonth(calendar, y, mo) || h > 23 || mi > 59 || s >= 61)
        {
            return null;
        }

        return (y, mo, d, h, mi, s);
    }

    public static CfCalendar? ParseCalendar(string? calendar) => (calendar ?? "standard").Trim().ToLowerInvariant() switch
    {
        "standard" or "gregorian" or "" => CfCalendar.Standard,
        "proleptic_gregorian" => CfCalendar.ProlepticGregorian,
        "noleap" or "365_day" => CfCalendar.NoLeap,
        "all_leap" or "366_day" => CfCalendar.AllLeap,
        "360_day" => CfCalendar.Day360,
        "julian" => CfCalendar.Julian,
        _ => null,
    };

    /// <summary>
    /// ISO 8601 (UTC, "Z") for an offset in the units; fractional seconds are rounded to the millisecond. An offset that
    /// is not a number, or lands beyond <see cref="MaxYears"/> years from year 1, is "NaT", as NumPy writes it.
    /// </summary>
    public string ToIso(double offset)
    {
        double total = _referenceSeconds + (offset * _unitSeconds);
        if (!(Math.Abs(total) <= MaxYears * 366.0 * 86400))
        {
            return "NaT";
        }

        long wholeSeconds = (long)Math.Floor(total);
        int millis = (int)Math.Round((total - wholeSeconds) * 1000);
        if (millis == 1000)
        {
            wholeSeconds++;
            millis = 0;
        }

        long days = Math.DivRem(wholeSeconds, 86400L, out long secOfDay);
        if (secOfDay < 0)
        {
            secOfDay += 86400;
            days--;
        }

        var (y, mo, d) = DateFromDays(_calendar, days);
        int h = (int)(secOfDay / 3600), mi = (int)(secOfDay / 60 % 60), s = (int)(secOfDay % 60);
        string frac = millis == 0 ? "" : "." + millis.ToString("000", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{y:0000}-{mo:00}-{d:00}T{h:00}:{mi:00}:{s:00}{frac}Z");
    }

    /// <summary>The offset (in the units) of an ISO 8601 date/time in this calendar; null if it cannot be parsed.</summary>
    public double? FromIso(string text)
    {
        var m = IsoPattern().Match(text.Trim());
        if (!m.Success || DateTimeOf(m, _calendar) is not { } t)
        {
            return null;
        }

        double total = (DaysFromEpoch(_calendar, t.Year, t.Month, t.Day) * 86400.0) + (t.Hour * 3600) + (t.Minute * 60) + t.Second;
        return (total - _referenceSeconds) / _unitSeconds;
    }

    private static long DaysFromEpoch(CfCalendar cal, int year, int month, int day)
    {
        // Days since 0001-01-01 of the calendar.
        switch (cal)
        {
            case CfCalendar.Day360:
                return ((year - 1) * 360L) + ((month - 1) * 30L) + (day - 1);
            case CfCalendar.NoLeap:
            case CfCalendar.AllLeap:
                {
                    int yearLength = cal == CfCalendar.NoLeap ? 365 : 366;
                    long days = (year - 1) * (long)yearLength;
                    for (int m = 1; m < month; m++)
                    {
                        days += DaysInMonth(cal, year, m);
                    }

                    return days + day - 1;
                }

            default:
                {
                    // Proleptic Gregorian (standard is treated the same for dates after 1582-10-15, which is
                    // where real data live); Julian uses its own leap rule.
                    long y = year - 1;
                    long days = cal == CfCalendar.Julian ? (y * 365) + (y / 4) : (y * 365) + (y / 4) - (y / 100) + (y / 400);
                    for (int m = 1; m < month; m++)
                    {
                        days += DaysInMonth(cal, year, m);
                    }

                    return days + day - 1;
                }
        }
    }

    private static (int Year, int Month, int Day) DateFromDays(CfCalendar cal, long days)
    {
        if (cal == CfCalendar.Day360)
        {
            long y = Math.DivRem(days, 360L, out long rest);
            if (rest < 0)
            {
                rest += 360;
                y--;
            }

            return ((int)y + 1, (int)(rest / 30) + 1, (int)(rest % 30) + 1);
        }

        // Estimate the year, then walk; cheap enough for coordinate labels.
        int year = (int)Math.Floor(days / 365.2425) + 1;
        while (DaysFromEpoch(cal, year, 1, 1) > days)
        {
            year--;
        }

        while (DaysFromEpoch(cal, year + 1, 1, 1) <= days)
        {
            year++;
        }

        long dayOfYear = days - DaysFromEpoch(cal, year, 1, 1);
        int month = 1;
        while (month < 12 && dayOfYear >= DaysInMonth(cal, year, month))
        {
            dayOfYear -= DaysInMonth(cal, year, month);
            month++;
        }

        return (year, month, (int)dayOfYear + 1);
    }

    private static int DaysInMonth(CfCalendar cal, int year, int month)
    {
        if (cal == CfCalendar.Day360)
        {
            return 30;
        }

        ReadOnlySpan<int> lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if (month != 2)
        {
            return lengths[month - 1];
        }

        bool leap = cal switch
        {
            CfCalendar.NoLeap => false,
            CfCalendar.AllLeap => true,
            CfCalendar.Julian => year % 4 == 0,
            _ => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0,
        };
        return leap ? 29 : 28;
    }

    [GeneratedRegex(@"^(?<unit>[A-Za-z]+)\s+since\s+(?<y>-?\d{1,4})(-(?<mo>\d{1,2})(-(?<d>\d{1,2}))?)?([T\s]+(?<h>\d{1,2}):(?<mi>\d{1,2})(:(?<s>\d{1,2}(\.\d*)?))?)?\s*(Z|UTC|[+-]0+(:?0+)?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UnitsPattern();

    [GeneratedRegex(@"^(?<y>-?\d{4})(-(?<mo>\d{2})(-(?<d>\d{2}))?)?([T\s](?<h>\d{2})(:(?<mi>\d{2})(:(?<s>\d{2}(\.\d*)?))?)?)?\s*(Z|[+-]00:?00)?$")]
    private static partial Regex IsoPattern();
}

public enum CfCalendar
{
    Standard,
    ProlepticGregorian,
    Julian,
    NoLeap,
    AllLeap,
    Day360,
}
