/* strided_slice: not yet generated */
