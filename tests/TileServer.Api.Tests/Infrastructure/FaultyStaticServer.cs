using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving one folder under two prefixes, <c>/plain/</c> and <c>/gated/</c>, that
/// counts the GETs it answers and how many are in flight, and can add latency, hold chunk reads of <c>/gated/</c>
/// until <see cref="OpenGate"/>, and inject faults into chunk answers of <c>/plain/</c> (the faults a real static
/// server cannot produce on demand: 5xx, reset connections, truncated and corrupted bodies, stalls).
/// </summary>
public sealed class FaultyStaticServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _rngLock = new();
    private readonly Random _rng = new(12345);
    private readonly ConcurrentQueue<string> _gets = new();
    private int _inFlight;
    private int _peak;
    private int _faults;
    private long _lastArrival;

    private FaultyStaticServer(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Share of <c>/plain/</c> chunk answers that are faults (0 = none).</summary>
    public double FaultRate { get; set; }

    /// <summary>Added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// When set, a GET of <c>/plain/</c> is held until no other has arrived for this long: every read a client sends
    /// in one burst is then in flight together, however slowly a busy machine lets the burst out.
    /// </summary>
    public TimeSpan HoldUntilQuiet { get; set; }

    public int FaultsInjected => Volatile.Read(ref _faults);

    /// <summary>Most GETs of <c>/plain/</c> answered at once since <see cref="ResetCounts"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref _peak);

    /// <summary>Every GET answered or being answered, as its path (e.g. <c>plain/value/3.7</c>).</summary>
    public IReadOnlyList<string> Gets => _gets.ToArray();

    public static async Task<FaultyStaticServer> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FaultyStaticServer(app, folder);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>Forgets the GETs seen and the peak in flight.</summary>
    public void ResetCounts()
    {
        _gets.Clear();
        Volatile.Write(ref _peak, Volatile.Read(ref _inFlight));
    }

    public static bool IsChunk(string path) => path.Contains("/value/", StringComparison.Ordinal) && !path.EndsWith(".zarray", StringComparison.Ordinal) && !path.EndsWith(".zattrs", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        OpenGate();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value!.TrimStart('/');
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string prefix = slash > 0 ? path[..slash] : "";
        string key = slash > 0 ? path[(slash + 1)..] : "";
        string file = Path.GetFullPath(Path.Combine(_folder, key));
        if (prefix is not ("plain" or "gated") || key.Length == 0 || !file.StartsWith(_folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _gets.Enqueue(path);
        bool counted = prefix == "plain";
        int now = counted ? Interlocked.Increment(ref _inFlight) : 0;
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }

        try
        {
            if (prefix == "gated" && IsChunk(path))
            {
                await _gate.Task.WaitAsync(context.RequestAborted);
            }

            if (counted && HoldUntilQuiet > TimeSpan.Zero)
            {
                Volatile.Write(ref _lastArrival, Environment.TickCount64);
                while (Environment.TickCount64 - Volatile.Read(ref _lastArrival) < HoldUntilQuiet.TotalMilliseconds)
                {
                    await Task.Delay(20, context.RequestAborted);
                }
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            var bytes = await File.ReadAllBytesAsync(file, context.RequestAborted);
            int fault = prefix == "plain" && IsChunk(path) ? NextFault() : -1;
            if (fault >= 0)
            {
                Interlocked.Increment(ref _faults);
            }

            switch (fault)
            {
                case 0:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return;
                case 1:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                case 2:
                    context.Abort();
                    return;
                case 3:
                    // The length promised, half the body sent, then the connection reset.
                    context.Response.ContentLength = bytes.Length;
                    await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    context.Abort();
                    return;
                case 4:
                    // Same length, one byte damaged: only the codec can notice.
                    bytes = bytes.ToArray();
                    bytes[bytes.Length / 2] ^= 0x5A;
                    break;
                case 5:
                    // A stall far longer than the store's usual latency, then the right answer.
                    await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
                    break;
            }

            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (e.g. a hedged read lost the race).
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>-1 for a good answer, else which fault (0-5), drawn from a fixed seed.</summary>
    private int NextFault()
    {
        lock (_rngLock)
        {
            return _rng.NextDouble() < FaultRate ? _rng.Next(6) : -1;
        }
    }
}
