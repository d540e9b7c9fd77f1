using System.Globalization;

namespace TileServer.Delivery.Seeding;

/// <summary>
/// Counts of a seed in progress, updated by every worker, and the progress line: count, rate and time left. Lines go
/// out on a timer rather than per tile, so a fast seed does not flood the terminal.
/// </summary>
internal sealed class SeedProgress
{
    private readonly long _planned;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _written;
    private long _present;
    private long _outside;
    private long _notKept;
    private long _bytes;

    public SeedProgress(long planned, TimeProvider time)
    {
        _planned = planned;
        _time = time;
        _started = time.GetTimestamp();
    }

    public long Written => Interlocked.Read(ref _written);
    public long Present => Interlocked.Read(ref _present);
    public long Outside => Interlocked.Read(ref _outside);
    public long NotKept => Interlocked.Read(ref _notKept);
    public long Bytes => Interlocked.Read(ref _bytes);
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    public void AddWritten(long bytes)
    {
        Interlocked.Increment(ref _written);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddPresent() => Interlocked.Increment(ref _present);

    public void AddOutside() => Interlocked.Increment(ref _outside);

    public void AddNotKept() => Interlocked.Increment(ref _notKept);

    /// <summary>E.g. <c>seed: 812/1365 tiles (59.5%), 46.1 tiles/s, ETA 0:00:12</c>.</summary>
    public string Line()
    {
        long done = Written + Present + Outside + NotKept;
        double seconds = Elapsed.TotalSeconds;
        double rate = seconds > 0 ? done / seconds : 0;
        string eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((_planned - done) / rate)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        double percent = _planned > 0 ? 100.0 * done / _planned : 100;
        return string.Create(CultureInfo.InvariantCulture, $"seed: {done}/{_planned} tiles ({percent:0.0}%), {rate:0.0} tiles/s, ETA {eta}");
    }

    /// <summary>Writes <see cref="Line"/> every <paramref name="interval"/> until cancelled.</summary>
    public async Task ReportAsync(TextWriter output, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(Line()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The seed is over (or stopped); its caller writes the last line.
        }
    }
}
