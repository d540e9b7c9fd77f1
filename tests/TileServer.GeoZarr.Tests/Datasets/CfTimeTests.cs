using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>CF time decoding; standard-calendar expectations checked with Python's datetime, the others from the CF calendar rules.</summary>
public sealed class CfTimeTests
{
    [Theory]
    [InlineData("days since 1978-01-01", "standard", 1460.0, "1981-12-31T00:00:00Z")]
    [InlineData("hours since 1900-01-01 00:00:00.0", "gregorian", 1031713.0, "2017-09-12T01:00:00Z")]
    [InlineData("days since 2000-01-01", "standard", 91.0, "2000-04-01T00:00:00Z")]
    [InlineData("seconds since 1970-01-01T00:00:00Z", "proleptic_gregorian", 86400.5, "1970-01-02T00:00:00.500Z")]
    [InlineData("days since 2000-01-01", "noleap", 59.0, "2000-03-01T00:00:00Z")]
    [InlineData("days since 2000-01-01", "365_day", 365.0, "2001-01-01T00:00:00Z")]
    [InlineData("days since 2001-01-01", "all_leap", 59.0, "2001-02-29T00:00:00Z")]
    [InlineData("days since 2000-01-01", "360_day", 59.0, "2000-02-30T00:00:00Z")]
    [InlineData("days since 2000-01-01", "360_day", 360.0, "2001-01-01T00:00:00Z")]
    [InlineData("minutes since 2020-02-28 23:00", "standard", 120.0, "2020-02-29T01:00:00Z")]
    [InlineData("days since 2000-01-01", "standard", -1.0, "1999-12-31T00:00:00Z")]
    public void Offsets_decode_to_iso_dates_in_the_calendar(string units, string calendar, double offset, string expected)
    {
        var time = CfTime.TryCreate(units, calendar);
        Assert.NotNull(time);
        Assert.Equal(expected, time.ToIso(offset));
        Assert.Equal(offset, time.FromIso(expected)!.Value, 6);
    }

    [Theory]
    [InlineData("meters", "standard")]
    [InlineData("days since", "standard")]
    [InlineData("days since 2000-01-01", "martian")]
    [InlineData(null, null)]
    public void Non_time_units_are_not_time(string? units, string? calendar) => Assert.Null(CfTime.TryCreate(units, calendar));

    [Fact]
    public void Dates_that_do_not_exist_in_the_calendar_are_rejected()
    {
        var noleap = CfTime.TryCreate("days since 2000-01-01", "noleap")!;
        Assert.Null(noleap.FromIso("2000-02-29"));
        var d360 = CfTime.TryCreate("days since 2000-01-01", "360_day")!;
        Assert.NotNull(d360.FromIso("2000-02-30"));
        Assert.Null(d360.FromIso("2000-01-31"));
    }
}
