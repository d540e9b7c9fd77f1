using Microsoft.Extensions.Options;
using TileServer.Api.Options;

namespace TileServer.Api.Operations;

/// <summary>
/// SIGTERM in order: readiness turns false first and stays so for <see cref="ShutdownOptions.DrainSeconds"/> while
/// requests are still served (a load balancer stops sending new ones), then the server stops accepting and lets
/// in-flight requests finish; the host gives up after <see cref="ShutdownOptions.GraceSeconds"/> in all.
/// </summary>
public sealed class GracefulShutdown : IHostedLifecycleService
{
    private readonly ShutdownOptions _options;
    private readonly TimeProvider _time;
    private volatile bool _draining;

    public GracefulShutdown(IOptions<TileServerOptions> options, TimeProvider time)
    {
        _options = options.Value.Shutdown;
        _time = time;
    }

    /// <summary>True from the stop signal on: /readyz answers 503.</summary>
    public bool Draining => _draining;

    // Runs before any hosted service (Kestrel included) stops.
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.DrainSeconds), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
