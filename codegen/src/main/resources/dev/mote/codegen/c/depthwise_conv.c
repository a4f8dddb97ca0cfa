/* depthwise_conv: not yet generated */
