package io.unwind.app.bench;

/**
 * Runs the benchmarks from the command line: {@code java -cp target/unwind.jar io.unwind.app.bench.Bench engine 1000
 * 30} (also {@code mvn -Pbench}).
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "engine";
        int vaults = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        switch (what) {
            case "engine" -> EngineBench.run(vaults, blocks, System.out);
            case "scan" -> ScanBench.run(vaults, args.length > 2 ? blocks : 500, System.out);
            default -> {
                System.err.println("usage: Bench engine [vaults] [blocks] | Bench scan [vaults] [chunk]");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
