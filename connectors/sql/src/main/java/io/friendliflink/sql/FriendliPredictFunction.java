package io.friendliflink.sql;

import io.friendliflink.operator.CallOutcome;
import io.friendliflink.operator.InferenceFunction;
import io.friendliflink.sql.FriendliModelOptions.ErrorStrategy;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * {@code ML_PREDICT}'s function for a friendli model: the DataStream API's calling layer ({@link InferenceFunction}:
 * budgets shared by the subtasks, adaptive limits, retries with {@code Retry-After}, the call's deadline) with a
 * row in and the model's output columns out.
 *
 * <p>Every row gets exactly one output row: its answer, or (error strategy {@code emit}) its error columns. A row
 * never disappears: unlike the {@code openai} provider, which drops a row whose request failed or whose text is
 * null. With {@code fail}, such a row fails the job. An endpoint that cannot serve the query at all (credentials
 * refused, unreachable) fails it either way, as the job does.
 */
@Internal
public final class FriendliPredictFunction extends AsyncPredictFunction {
    private static final long serialVersionUID = 1L;

    private final InferenceFunction<RowData> calls;
    private final OutputColumns output;
    private final ErrorStrategy errors;

    FriendliPredictFunction(InferenceFunction<RowData> calls, OutputColumns output, ErrorStrategy errors) {
        this.calls = calls;
        this.output = output;
        this.errors = errors;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        calls.open(context.getTaskInfo(), context.getMetricGroup());
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData row) {
        CompletableFuture<Collection<RowData>> rows = new CompletableFuture<>();
        calls.asyncInvoke(row, new ResultFuture<>() {
            @Override
            public void complete(Collection<CallOutcome<RowData>> outcomes) {
                try {
                    rows.complete(outcomes.stream().map(FriendliPredictFunction.this::toRow).toList());
                } catch (RuntimeException e) {
                    rows.completeExceptionally(e);
                }
            }

            @Override
            public void completeExceptionally(Throwable error) {
                rows.completeExceptionally(error);
            }

            @Override
            public void complete(CollectionSupplier<CallOutcome<RowData>> supplier) {
                try {
                    complete(supplier.get());
                } catch (Exception e) {
                    rows.completeExceptionally(e);
                }
            }
        });
        return rows;
    }

    private RowData toRow(CallOutcome<RowData> outcome) {
        if (outcome.isAnswered()) {
            return output.answered(outcome.answered());
        }
        if (errors == ErrorStrategy.FAIL) {
            throw new RowFailedException(outcome.failed().errorType(), outcome.failed().message());
        }
        return output.failed(outcome.failed());
    }

    @Override
    public void close() throws Exception {
        calls.close();
        super.close();
    }

    /** A row's request could not succeed, and the model's error strategy is {@code fail}. */
    static final class RowFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RowFailedException(String errorType, String message) {
            super("a row's request failed (" + errorType + "): " + message
                    + "; with 'error-strategy' = 'emit' (the default) such rows are emitted with their error columns");
        }
    }
}
