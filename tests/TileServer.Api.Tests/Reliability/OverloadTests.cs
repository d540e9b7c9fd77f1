using System.Net;
using TileServer.Api.Tests.Infrastructure;
using TileServer.Reading.Load;

namespace TileServer.Api.Tests.Reliability;

/// <summary>
/// Overload and abandoned requests, made deterministic with a store whose answers the test holds: one render slot,
/// one queue place. Counters of the render gate and of the store say what happened, never timings.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private HeldStoreServer _store = null!;
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        _store = await HeldStoreServer.StartAsync(Paths.Demo());
        _app = await AppHost.StartAsync(
            $"--TileServer:Datasets:held:Path={_store.BaseUrl}/oisst.zarr",
            // A configured stretch: no background statistics read shares the held store with the renders under test.
            "--TileServer:Datasets:held:Rendering:Rescale=-2,32",
            "--TileServer:Renders:MaxConcurrent=1",
            "--TileServer:Renders:MaxQueue=1",
            "--TileServer:Renders:QueueTimeoutSeconds=120",
            "--TileServer:Renders:RetryAfterSeconds=2",
            "--TileServer:Cache:ChunkCacheBytes=0",
            "--TileServer:Http:Timeout=00:02:00");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private const string Style = "?rescale=-2,32&colormap_name=thermal";

    [Fact]
    public async Task A_full_queue_is_503_with_Retry_After_while_health_answers_and_an_abandoned_render_is_cancelled()
    {
        var gate = _app.Services.GetRequiredService<RenderGate>();
        (await HttpAssert.JsonAsync(await _app.Client.GetAsync("/datasets/held"))).ToString();
        _store.Hold();

        // A: runs, and waits in its store read.
        using var abandon = new CancellationTokenSource();
        var first = _app.Client.GetAsync("/tiles/held/0/0/0.png" + Style, abandon.Token);
        await AppHost.WaitForAsync(() => gate.Running == 1 && _store.Waiting >= 1 || first.IsCompleted,
            "the first render to wait in its store read");
        if (first.IsCompleted)
        {
            var early = await first;
            Assert.Fail($"the first tile was answered {(int)early.StatusCode} before its store read was released: {await early.Content.ReadAsStringAsync()}");
        }

        // B: waits for the slot.
        var second = _app.Client.GetAsync("/tiles/held/1/0/0.png" + Style);
        await AppHost.WaitForAsync(() => gate.Queued == 1, "the second render to queue");

        // C: no room left, refused at once.
        var refused = await _app.Client.GetAsync("/tiles/held/1/1/0.png" + Style);
        var problem = await HttpAssert.ProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("busy", (string?)problem["detail"] ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, gate.Rejected);

        // The OGC services answer with their own exception reports, and still say when to come back (which is also
        // what makes their refusals Warnings in the log, not Errors).
        var wmts = await _app.Client.GetAsync("/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=held.sst&STYLE=default&FORMAT=image/png" +
            "&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=0");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, wmts.StatusCode);
        Assert.Contains("ExceptionReport", await wmts.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(2), wmts.Headers.RetryAfter?.Delta);
        var wms = await _app.Client.GetAsync("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=held.sst&STYLES=&CRS=EPSG:4326" +
            "&BBOX=-60,-120,60,120&WIDTH=64&HEIGHT=32&FORMAT=image/png");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, wms.StatusCode);
        Assert.Contains("ServiceException", await wms.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(2), wms.Headers.RetryAfter?.Delta);
        Assert.Equal(3, gate.Rejected);

        // Liveness and readiness are outside the gate.
        Assert.Equal(HttpStatusCode.OK, (await _app.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.Client.GetAsync("/readyz")).StatusCode);

        // A's client goes away: its render is cancelled, its store read abandoned, and B gets the slot.
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await AppHost.WaitForAsync(() => gate.Cancelled == 1, "the abandoned render to be counted as cancelled");
        await AppHost.WaitForAsync(() => _store.Abandoned >= 1, "the store read of the abandoned render to be cancelled");
        await AppHost.WaitForAsync(() => gate.Queued == 0 && gate.Running == 1, "the queued render to get the slot");

        _store.Release();
        var served = await second;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        await AppHost.WaitForAsync(() => gate.Running == 0 && gate.BytesHeld == 0, "every lease to be returned");

        // The log says what happened: aborted as 499, the refusal as a 503 Warning, neither with a stack trace.
        await AppHost.WaitForAsync(() => _app.Events.Requests(499).Any(), "the aborted request's log entry; the request log is:\n" + _app.Events.RequestLog);
        Assert.All(_app.Events.Requests(499), aborted => Assert.True(aborted.Level == Serilog.Events.LogEventLevel.Information && aborted.Exception is null, _app.Events.RequestLog));
        Assert.Equal(3, _app.Events.Requests(503).Count());
        Assert.All(_app.Events.Requests(503), busy => Assert.True(busy.Level == Serilog.Events.LogEventLevel.Warning && busy.Exception is null, _app.Events.RequestLog));
    }
}
