using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog.Core;
using Serilog.Events;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// The real application on 127.0.0.1 with the given settings (the demo datasets when none are configured), its
/// services reachable for counters, and every log event it writes kept in <see cref="Events"/>.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppHost(WebApplication app, string baseUrl, LogCollector events)
    {
        _app = app;
        BaseUrl = baseUrl;
        Events = events;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public LogCollector Events { get; }

    public static async Task<AppHost> StartAsync(params string[] settings)
    {
        var events = new LogCollector();
        var app = TileServerApp.Build(["--urls=http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Information", .. settings],
            builder => builder.Services.AddSingleton<ILogEventSink>(events));
        await app.StartAsync();
        string baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new AppHost(app, baseUrl, events);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after 30 s.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A Serilog sink that keeps what it is given.</summary>
public sealed class LogCollector : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> All => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Message, properties and exception of every event, as one text to search.</summary>
    public string Text => string.Join("\n", All.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => p.Key + "=" + p.Value)) + " " + e.Exception));

    /// <summary>The request log, one line per request, for failure messages.</summary>
    public string RequestLog => string.Join("\n", All.Where(e => e.Properties.ContainsKey("Elapsed"))
        .Select(e => e.Level + " " + e.RenderMessage()));

    /// <summary>The request-completion events (one per request) with this status.</summary>
    public IEnumerable<LogEvent> Requests(int status) => All.Where(e => e.Properties.TryGetValue("StatusCode", out var s) && s.ToString() == status.ToString(System.Globalization.CultureInfo.InvariantCulture)
        && e.Properties.ContainsKey("Elapsed"));
}
