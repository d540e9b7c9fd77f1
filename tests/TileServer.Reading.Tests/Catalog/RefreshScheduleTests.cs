using TileServer.Reading.Catalog;

namespace TileServer.Reading.Tests.Catalog;

public class RefreshScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_tick_waking_a_little_before_the_due_time_still_refreshes()
    {
        var (refresh, next) = RefreshSchedule.At(Start + Second - TimeSpan.FromMilliseconds(3), Start + Second, Second, Second);

        Assert.True(refresh);
        Assert.Equal(Start + 2 * Second, next);
    }

    [Fact]
    public void Every_tick_of_a_jittered_timer_refreshes_when_the_interval_equals_the_tick()
    {
        // Ticks wake up to 20 ms early or late, as a loaded host's timer does; each must count.
        int[] jitterMs = [-20, 5, -3, 17, -11, 0, 9, -19, 2, -7];
        var due = Start + Second;
        int refreshes = 0;
        for (int i = 0; i < jitterMs.Length; i++)
        {
            var now = Start + (i + 1) * Second + TimeSpan.FromMilliseconds(jitterMs[i]);
            (bool refresh, due) = RefreshSchedule.At(now, due, Second, Second);
            refreshes += refresh ? 1 : 0;
        }

        Assert.Equal(jitterMs.Length, refreshes);
    }

    [Fact]
    public void Before_the_due_time_nothing_happens()
    {
        var due = Start + 5 * Second;
        var (refresh, next) = RefreshSchedule.At(Start + Second, due, 5 * Second, Second);

        Assert.False(refresh);
        Assert.Equal(due, next);
    }

    [Fact]
    public void After_a_refresh_that_outlasted_the_interval_the_next_is_a_whole_interval_away()
    {
        var now = Start + 10 * Second;
        var (refresh, next) = RefreshSchedule.At(now, Start + Second, Second, Second);

        Assert.True(refresh);
        Assert.Equal(now + Second, next);
    }
}
