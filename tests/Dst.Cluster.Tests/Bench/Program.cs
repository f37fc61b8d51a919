using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Dst.Cluster.Bench.RaftMessageCodecBenchmarks).Assembly).Run(args);
