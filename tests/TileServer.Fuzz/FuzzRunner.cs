using System.Diagnostics;
using CsCheck;

namespace TileServer.Fuzz;

/// <summary>What one run of a target did.</summary>
public sealed record FuzzRunResult(string Target, long Executions, TimeSpan Elapsed, int Seeds);

/// <summary>Drives targets with CsCheck generators: a deterministic short run (tests) and a time-bounded long run.</summary>
public static class FuzzRunner
{
    /// <summary>
    /// Every seed, then <paramref name="iterations"/> mutated inputs drawn from a PCG stream fixed by
    /// <paramref name="seed"/>: the same inputs on every machine. A violation is rethrown with the input (base64) and
    /// is written to <paramref name="failureFolder"/> when given, for replaying and minimising.
    /// </summary>
    public static FuzzRunResult ShortRun(FuzzTarget target, int iterations, ulong seed, string? failureFolder = null)
    {
        var watch = Stopwatch.StartNew();
        target.WarmUp();
        var gen = Mutator.For(target);
        var pcg = new PCG(1, seed);
        for (int i = 0; i < iterations; i++)
        {
            var input = gen.Generate(pcg, null, out _);
            try
            {
                target.Run(input);
            }
            catch (FuzzViolation violation)
            {
                string file = Save(target, input, failureFolder);
                throw new FuzzViolation($"{violation.Message}\n  input #{i} (PCG seed {seed}){file}: {Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 4096)))}", violation.InnerException);
            }
        }

        return new FuzzRunResult(target.Name, target.Seeds.Count + iterations, watch.Elapsed, target.Seeds.Count);
    }

    /// <summary>CsCheck for <paramref name="seconds"/> on one thread, shrinking any violation to a small input.</summary>
    public static FuzzRunResult TimedRun(FuzzTarget target, int seconds, Action<string> writeLine)
    {
        var watch = Stopwatch.StartNew();
        target.WarmUp();
        long executions = target.Seeds.Count;
        Mutator.For(target).Sample(
            input =>
            {
                Interlocked.Increment(ref executions);
                target.Run(input);
            },
            writeLine: writeLine,
            time: seconds,
            threads: 1,
            print: input => $"{input.Length} bytes, base64 {Convert.ToBase64String(input)}");
        return new FuzzRunResult(target.Name, executions, watch.Elapsed, target.Seeds.Count);
    }

    private static string Save(FuzzTarget target, byte[] input, string? folder)
    {
        if (folder is null)
        {
            return "";
        }

        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{target.Name}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(input))[..16]}.bin");
        File.WriteAllBytes(path, input);
        return $" saved as {path}";
    }
}
