using Serilog;
using TileServer.Api;
using TileServer.Api.Commands;

if (args is ["healthcheck", ..])
{
    // Container HEALTHCHECK without curl in the image: GET /healthz on the local port.
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
}

if (args is ["inspect" or "seed", ..])
{
    // inspect: what the server sees in a store, as gdalinfo does for rasters; seed: tiles rendered ahead (SeedCommand).
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupt.Cancel();
    };
    if (args[0] == "seed")
    {
        return await SeedCommand.RunAsync(args[1..], Console.Out, Console.Error, interrupt.Token);
    }

    await using var stdout = Console.OpenStandardOutput();
    return await InspectCommand.RunAsync(args[1..], stdout, Console.Error, interrupt.Token);
}

// Renders are CPU-bound and hold their threads; enough pool threads from the start keep /healthz, 304s and 503s
// answering while every render slot is busy, instead of waiting for the pool to grow (measured in docs/benchmarks.md).
ThreadPool.GetMinThreads(out int workers, out int completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 8 * Environment.ProcessorCount), completionPorts);

Serilog.Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var app = TileServerApp.Build(args);
    app.Run();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Serilog.Log.Fatal(ex, "The tile server could not start");
    return 1;
}
finally
{
    Serilog.Log.CloseAndFlush();
}

public partial class Program;
