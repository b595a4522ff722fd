package org.spidernet.cli;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code spidernet dags}: how many DAG classes FaDE's cell library holds per vertex count (by
 * default FaDE's 3 to 6 vertices), and with {@code --list} each one's code, in library order.
 */
@Command(name = "dags", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Count (and with --list print) the DAGs of FaDE's cell library, one per isomorphism class.")
final class DagsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--min-vertices", paramLabel = "N", description = "fewest vertices (default: ${DEFAULT-VALUE}, FaDE's)")
    int minVertices = DagLibrary.FADE_MIN;

    @Option(names = "--max-vertices", paramLabel = "N", description = "most vertices, at most " + DagLibrary.MAX_VERTICES
            + " (default: ${DEFAULT-VALUE}, FaDE's)")
    int maxVertices = DagLibrary.FADE_MAX;

    @Option(names = "--list", description = "also print every DAG's code (vertices:from-to,...), in library order")
    boolean list;

    @Override
    public Integer call() {
        checkBounds();
        DagLibrary library = DagLibrary.of(minVertices, maxVertices);
        TextTable table = new TextTable(List.of("vertices", "DAGs"));
        for (int n = minVertices; n <= maxVertices; n++) {
            table.addRow(List.of(String.valueOf(n), String.valueOf(library.count(n))));
        }
        table.addRow(List.of("total", String.valueOf(library.size())));
        System.out.print(table.render());
        if (list) {
            System.out.println();
            for (Dag d : library.all()) {
                System.out.println(d.code());
            }
        }
        return 0;
    }

    /** Each flag's fault named by its flag, before the library would refuse the pair without one. */
    private void checkBounds() {
        if (minVertices < 1 || minVertices > DagLibrary.MAX_VERTICES) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--min-vertices must be 1 to " + DagLibrary.MAX_VERTICES + ", got " + minVertices);
        }
        if (maxVertices < 1 || maxVertices > DagLibrary.MAX_VERTICES) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-vertices must be 1 to " + DagLibrary.MAX_VERTICES + ", got " + maxVertices);
        }
        if (minVertices > maxVertices) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--min-vertices " + minVertices + " is above --max-vertices " + maxVertices);
        }
    }
}
