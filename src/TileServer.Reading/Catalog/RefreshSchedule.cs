namespace TileServer.Reading.Catalog;

/// <summary>
/// When the data-version check is due, decided at each timer tick. A tick may wake a little before the due time (timer
/// jitter, the previous refresh's own duration): half a tick of slack keeps such a tick from skipping a whole interval,
/// and the next due time follows from the previous one, so refreshes keep their rhythm instead of drifting by a tick.
/// </summary>
public static class RefreshSchedule
{
    /// <summary>Whether to refresh at <paramref name="now"/>, and the due time after it.</summary>
    public static (bool Refresh, DateTimeOffset NextDue) At(DateTimeOffset now, DateTimeOffset due, TimeSpan interval, TimeSpan tick)
    {
        if (now + tick / 2 < due)
        {
            return (false, due);
        }

        // After a refresh that outlasted the interval, start again from now rather than refreshing back to back.
        var next = due + interval;
        return (true, next > now ? next : now + interval);
    }
}
