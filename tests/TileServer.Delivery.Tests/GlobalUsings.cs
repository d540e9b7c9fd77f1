global using Xunit;

// The tile cache tests read the process-wide meter; run them one at a time so that counts are each test's own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
