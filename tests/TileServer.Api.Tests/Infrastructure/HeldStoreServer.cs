using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// A static file server on 127.0.0.1 (a real HTTP store) whose answers can be held: while held, each request waits
/// until released or until its client goes away, which the server counts. It makes "a render is busy in a store
/// read" a state a test can set up and observe, without timing.
/// </summary>
public sealed class HeldStoreServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _release = NewRelease();
    private volatile bool _held;
    private int _waiting;
    private int _abandoned;

    private HeldStoreServer(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests waiting now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Held requests whose client went away before the release.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    public static async Task<HeldStoreServer> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HeldStoreServer(app);
        app.Use(async (context, next) =>
        {
            if (server._held)
            {
                Interlocked.Increment(ref server._waiting);
                try
                {
                    await server._release.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref server._abandoned);
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref server._waiting);
                }
            }

            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder, Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.None), ServeUnknownFileTypes = true });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    public void Hold()
    {
        _release = NewRelease();
        _held = true;
    }

    public void Release()
    {
        _held = false;
        _release.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
