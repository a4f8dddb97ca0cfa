package dev.mote.runtime.internal.memory;

/**
 * {@code sizeof}/{@code alignof} of the TFLM framework structs that live in the arena, computed for an {@link Abi}
 * from their field lists in tflite-micro ({@code micro/c/common.h} with {@code TF_LITE_STATIC_MEMORY},
 * {@code micro_allocator.h}, {@code single_arena_buffer_allocator.h}, {@code greedy_memory_planner.h},
 * {@code micro_allocation_info.h}).
 *
 * <p>On x86-64 this gives {@code TfLiteTensor} 64, {@code TfLiteEvalTensor} 24, node-and-registration 64 bytes; on
 * a 32-bit Cortex-M build 32, 12 and 32 bytes and {@code MicroAllocator} 36 bytes, as measured on real builds.
 */
public final class TflmStructs {
    /** TFLM's {@code MicroArenaBufferAlignment()}. */
    public static final int ARENA_ALIGNMENT = 16;
    /** {@code kMaxScratchBuffersPerOp}: scratch requests a kernel may make, reserved in the head while preparing. */
    public static final int MAX_SCRATCH_BUFFERS_PER_OP = 12;
    /** {@code sizeof(TfLiteIntArray)} without its flexible {@code data[]}. */
    public static final int INT_ARRAY_HEADER_BYTES = 4;

    private final Abi abi;
    private final CStruct tfLiteTensor;
    private final CStruct evalTensor;
    private final CStruct node;
    private final CStruct nodeAndRegistration;
    private final CStruct affineQuantization;
    private final CStruct intArray;
    private final CStruct singleArenaBufferAllocator;
    private final CStruct greedyMemoryPlanner;
    private final CStruct microAllocator;
    private final CStruct builtinDataAllocator;
    private final CStruct subgraphAllocations;
    private final CStruct scratchBufferRequest;
    private final CStruct scratchBufferHandle;
    private final CStruct allocationInfo;
    private final int plannerBytesPerBuffer;

    public TflmStructs(Abi abi) {
        this.abi = abi;
        CStruct quantization = CStruct.of(abi).cEnum().pointer().build();          // TfLiteQuantization
        CStruct quantizationParams = CStruct.of(abi).float32().int32().build();    // TfLiteQuantizationParams
        tfLiteTensor = CStruct.of(abi).struct(quantization).struct(quantizationParams)
                .pointer()      // data
                .pointer()      // dims
                .sizeT()        // bytes
                .cEnum()        // type
                .cEnum()        // allocation_type
                .bool()         // is_variable
                .build();
        evalTensor = CStruct.of(abi).pointer().pointer().cEnum().build();
        node = CStruct.of(abi)
                .pointers(3)    // inputs, outputs, intermediates
                .pointer()      // user_data
                .pointer()      // builtin_data
                .pointer()      // custom_initial_data
                .int32()        // custom_initial_data_size
                .build();
        nodeAndRegistration = CStruct.of(abi).struct(node).pointer().build();
        affineQuantization = CStruct.of(abi).pointer().pointer().int32().build();
        intArray = CStruct.of(abi).int32().build();
        singleArenaBufferAllocator = CStruct.of(abi)
                .pointers(2)    // vtables of INonPersistentBufferAllocator and IPersistentBufferAllocator
                .pointers(5)    // buffer_head_, buffer_tail_, head_, tail_, temp_
                .sizeT()        // temp_buffer_ptr_check_sum_
                .int32()        // temp_buffer_count_
                .build();
        greedyMemoryPlanner = CStruct.of(abi)
                .pointer()      // vtable
                .int32s(2)      // max_buffer_count_, buffer_count_
                .pointers(4)    // requirements_, buffer_sizes_sorted_, buffer_ids_sorted_, buffers_sorted_by_offset_
                .int32s(2)      // next_free_entry_, first_entry_index_
                .pointer()      // buffer_offsets_
                .bool()         // need_to_calculate_offsets_
                .build();
        microAllocator = CStruct.of(abi)
                .pointer()      // vtable
                .pointers(4)    // non_persistent, persistent, builtin data allocator, memory planner
                .bool()         // model_is_allocating_
                .sizeT()        // scratch_buffer_request_count_
                .pointer()      // scratch_buffer_head_
                .sizeT()        // max_head_buffer_usage_
                .build();
        builtinDataAllocator = CStruct.of(abi).pointer().pointer().build();
        subgraphAllocations = CStruct.of(abi).pointer().pointer().build();
        scratchBufferRequest = CStruct.of(abi).sizeT().int32().int32().build();
        scratchBufferHandle = CStruct.of(abi).pointer().build();
        allocationInfo = CStruct.of(abi)
                .sizeT()        // bytes
                .pointer()      // output_ptr
                .int32s(3)      // first_created, last_used, offline_offset
                .bool()         // needs_allocating
                .build();
        // GreedyMemoryPlanner::per_buffer_size(): BufferRequirements (4 ints), two int arrays, ListEntry (3 ints),
        // and the offsets array.
        plannerBytesPerBuffer = 4 * 4 + 4 + 4 + 3 * 4 + 4;
    }

    public Abi abi() {
        return abi;
    }

    public CStruct tfLiteTensor() {
        return tfLiteTensor;
    }

    public CStruct evalTensor() {
        return evalTensor;
    }

    public CStruct node() {
        return node;
    }

    public CStruct nodeAndRegistration() {
        return nodeAndRegistration;
    }

    public CStruct affineQuantization() {
        return affineQuantization;
    }

    /** {@code TfLiteIntArray} (its header; {@link #intArrayBytes(int)} for a whole array). */
    public CStruct intArray() {
        return intArray;
    }

    /** {@code TfLiteIntArrayGetSizeInBytes(n)}. */
    public static int intArrayBytes(int n) {
        return INT_ARRAY_HEADER_BYTES + 4 * n;
    }

    public CStruct singleArenaBufferAllocator() {
        return singleArenaBufferAllocator;
    }

    public CStruct greedyMemoryPlanner() {
        return greedyMemoryPlanner;
    }

    public CStruct microAllocator() {
        return microAllocator;
    }

    /** {@code MicroBuiltinDataAllocator}. */
    public CStruct builtinDataAllocator() {
        return builtinDataAllocator;
    }

    public CStruct subgraphAllocations() {
        return subgraphAllocations;
    }

    public CStruct scratchBufferRequest() {
        return scratchBufferRequest;
    }

    public CStruct scratchBufferHandle() {
        return scratchBufferHandle;
    }

    public CStruct allocationInfo() {
        return allocationInfo;
    }

    /** Scratch bytes the greedy planner needs per planned buffer. */
    public int plannerBytesPerBuffer() {
        return plannerBytesPerBuffer;
    }
}
