using SharpFuzz;
using TileServer.Fuzz;

// The fuzzing driver. Commands (tests/fuzz/run.sh wraps the long runs):
//   list                        targets, their contracts and seed counts
//   seeds TARGET DIR            writes the seed corpus, one file per seed (afl-fuzz -i)
//   afl TARGET                  the SharpFuzz harness for afl-fuzz (run as `dotnet TileServer.Fuzz.dll afl TARGET`)
//   timed TARGET SECONDS        CsCheck for SECONDS on one thread; prints the number of executions
//   short TARGET ITERATIONS     the deterministic run the tests make
//   replay TARGET FILE...       runs inputs (e.g. afl crashes) and prints what each does
string command = args.Length > 0 ? args[0] : "list";

// After tests/fuzz/run.sh instruments the assemblies, every branch writes to AFL's coverage map; outside afl-fuzz (and
// before SharpFuzz attaches the shared map) they write here instead. Allocated once, never freed: the process's life.
unsafe
{
    SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
}

switch (command)
{
    case "list":
        foreach (var t in FuzzTargets.All)
        {
            Console.WriteLine($"{t.Name,-18} {t.Seeds.Count,5} seeds  {t.Contract}");
        }

        return 0;
    case "seeds" when args.Length == 3:
    {
        var target = FuzzTargets.Get(args[1]);
        Directory.CreateDirectory(args[2]);
        for (int i = 0; i < target.Seeds.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(args[2], $"seed-{i:D4}"), target.Seeds[i]);
        }

        return 0;
    }

    case "afl" when args.Length == 2:
    {
        var target = FuzzTargets.Get(args[1]);
        bool warm = false;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            if (!warm)
            {
                target.WarmUp();
                warm = true;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.ToArray());
        });
        return 0;
    }

    case "timed" when args.Length == 3:
    {
        var result = FuzzRunner.TimedRun(FuzzTargets.Get(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), Console.WriteLine);
        Console.WriteLine($"{result.Target}: {result.Executions} executions in {result.Elapsed.TotalSeconds:F0} s, no violation");
        return 0;
    }

    case "short" when args.Length == 3:
    {
        var result = FuzzRunner.ShortRun(FuzzTargets.Get(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), 20261204, "fuzz-failures");
        Console.WriteLine($"{result.Target}: {result.Executions} executions in {result.Elapsed.TotalSeconds:F1} s, no violation");
        return 0;
    }

    case "replay" when args.Length >= 3:
    {
        var target = FuzzTargets.Get(args[1]);
        target.WarmUp();
        int failures = 0;
        foreach (var file in args.Skip(2))
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok");
            }
            catch (FuzzViolation v)
            {
                failures++;
                Console.WriteLine($"{file}: {v.Message}\n{v.InnerException}");
            }
        }

        return failures == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine("usage: TileServer.Fuzz list | seeds TARGET DIR | afl TARGET | timed TARGET SECONDS | short TARGET ITERATIONS | replay TARGET FILE...");
        return 2;
}
