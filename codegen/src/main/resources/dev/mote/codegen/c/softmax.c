/* softmax: not yet generated */
