using System.Diagnostics;
using BenchmarkDotNet.Running;
using TileServer.Benchmarks.Areas;

// Run: dotnet run -c Release --project bench/TileServer.Benchmarks -- --filter '*'
// On a shared, busy host wall-clock figures mostly measure the queue for a core; `cpu-time` runs the area statistics
// benchmarks in a loop and prints the process CPU time per operation (the code is single-threaded), which does not.
if (args is ["cpu-time", ..])
{
    foreach (var values in new[] { "integers", "floats" })
    {
        var bench = new AreaStatisticsBenchmarks { Values = values };
        bench.Setup();
        foreach (var (name, op) in new (string, Func<double>)[] { ($"{values}: centres + statistics", bench.Centres), ($"{values}: exact coverage + weighted statistics", bench.Coverage) })
        {
            for (int i = 0; i < 5; i++)
            {
                op();
            }

            const int runs = 30;
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (int i = 0; i < runs; i++)
            {
                op();
            }

            process.Refresh();
            Console.WriteLine($"{name}: {(process.TotalProcessorTime - cpu0).TotalMilliseconds / runs:0.0} ms CPU per operation ({wall.Elapsed.TotalMilliseconds / runs:0.0} ms wall), {runs} runs");
        }
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
